"""Word lists for the claim rules (German and English), kept apart from the logic that uses them.

Single words are whitespace-separated strings, phrases are "|"-separated (they contain spaces).
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(p for p in text.split("|") if p)


# Straight and typographic quotes; toggled, so »…« and „…“ both work.
QUOTE_CHARS = frozenset('»«„“”"‚‘›‹')

# Verbs that attribute what follows or precedes them to a speaker. English: inflected forms,
# so the pipeline can skip the lemmatizer.
ATTRIBUTION_VERBS = {
    "de": _words(
        "antwortete argumentierte bedauerte behauptet behauptete beklagte bekräftigt "
        "bekräftigte berichtet berichtete bestätigt bestätigte betonen betont betonte "
        "betonten bezeichnet bezeichnete dementierte ergänzte erklären erklärt erklärte "
        "erklärten fordert forderte forderten gefordert gesagt hieß kommentierte "
        "kritisiert kritisierte kündigte lobte mahnte meint meinte räumte sagen sagt "
        "sagte sagten schreibt schrieb schätzte sprach teilte twitterte unterstrich "
        "verkündete versicherte versprach verwies warnt warnte zitierte"
    ),
    "en": _words(
        "acknowledge acknowledged acknowledgeed acknowledgees acknowledges add addd added "
        "addes adds admit admitd admited admites admits allege alleged allegeed allegees "
        "alleges announce announced announceed announcees announces argue argued argueed "
        "arguees argues assert assertd asserted assertes asserts claim claimd claimed "
        "claimes claims confirm confirmd confirmed confirmes confirms contend contendd "
        "contended contendes contends declare declared declareed declarees declares "
        "denied denies deny denyd denyed denyes denys estimate estimated estimateed "
        "estimatees estimates explain explaind explained explaines explains insist "
        "insistd insisted insistes insists note noted noteed notees notes predict "
        "predictd predicted predictes predicts promise promised promiseed promisees "
        "promises report reportd reported reportes reports said say says state stated "
        "stateed statees states stress stressd stressed stresses stresss tell tells "
        "testified testifies testify testifyd testifyed testifyes testifys told tweet "
        "tweetd tweeted tweetes tweets warn warnd warned warnes warns write writes "
        "written wrote"
    ),
}
# More reporting verbs (German finite forms; English inflected forms), read like the ones above.
ATTRIBUTION_VERBS["de"] |= _words(
    "beschied bemängelte bemängelt beklagt bilanzierte bilanziert entgegnete entgegnet "
    "entschied erwiderte erwidert findet fand fasst fasste fordern glaubt glaubte "
    "kritisieren mahnt meldet meldete moniert monierte prognostiziert prognostizierte "
    "resümierte schätzt schildert schilderte sieht sah spricht stellte stellt urteilte "
    "verlangt verlangte verweist warnen wies zitiert zeigte zeigt unterstreicht "
    "appellierte appelliert ergänzt berichten erklärte entschieden geurteilt mitgeteilt "
    "angekündigt gewarnt erwartet erwarten erwartete glauben meinen befürchtet befürchten "
    "anmerken merkte attestiert attestierte bestreitet bestritt interpretiert interpretierte "
    "bezweifelt bezweifelte mitteilte mitteilten mitteilt ankündigte angab hinwies einräumte "
    "zugab bestritten "
    "verkündet verkündeten begründete begründeten äußerte "
    "äußert geäußert"
)
ATTRIBUTION_VERBS["en"] |= _words(
    "answered believe believes believed cautioned cites cited conceded concedes "
    "concluded described describes emphasised emphasized explained insisted "
    "maintained maintains observed recalled recalls recounted recounts replied replies "
    "responded responds reiterated reiterates revealed reveals suggested suggests urged "
    "urges weighed wrote added adds criticised criticized accused accuses admitted "
    "confessed pleaded assailed rejected "
    "disputed argued contended countered counters noted"
)
# Separable German reporting verbs: finite part and particle ("fügte ... hinzu", "räumt ... ein").
SEPARABLE_DE = {
    "fügte": "hinzu",
    "fügt": "hinzu",
    "räumte": "ein",
    "räumt": "ein",
    "gab": "an|zu|bekannt",
    "gibt": "an|zu|bekannt",
    "teilte": "mit",
    "teilt": "mit",
    "wies": "hin",
    "weist": "hin",
    "kündigte": "an",
    "kündigt": "an",
    "geht": "aus",
    "gehen": "aus",
    "ging": "aus",
    "sprach": "aus",
    "spricht": "aus",
    "deutete": "an",
    "führte": "aus",
    "führt": "aus",
    "hob": "hervor",
    "hebt": "hervor",
    "stellte": "klar",
    "stellt": "klar",
    "schlug": "vor",
    "schlägt": "vor",
    "wandte": "ein",
    "zeigte": "überzeugt",
    "zeigt": "überzeugt",
    # accusations report a claim: "Die USA halten Russland vor, ...", "X wirft Y vor, ..."; a
    # trailing comma: only with a clause after the particle (not "Der Vorrat hält bis Mai vor")
    "hält": "vor,",
    "halten": "vor,",
    "hielt": "vor,",
    "hielten": "vor,",
    "wirft": "vor,",
    "werfen": "vor,",
    "warf": "vor,",
    "warfen": "vor,",
}
# Words before a name that are titles, not names ("Mr. Trump", "Sen. Mitch McConnell").
HONORIFICS = _words(
    "mr mrs ms miss dr prof sir dame lord sen rep gov gen lt col capt sgt herr frau "
    "interim acting former ex deputy vice chief police state president prime first "
    "administrator commissioner coach insider superintendent speaker attorney"
)
ROLE_ABBREVIATIONS = {
    "gov": "governor",
    "sen": "senator",
    "rep": "representative",
    "gen": "general",
    "pres": "president",
    "sec": "secretary",
    "supt": "superintendent",
}
# Organisation nouns that refer back to the organisation last named ("the company said").
ORG_NOUNS = _words(
    "company firm group agency organisation organization network department ministry utility "
    "unternehmen konzern firma verband gruppe behörde ministerium sender netzwerk"
)
# Sources that stay anonymous: "officials said", "Insidern zufolge", "laut Medienberichten".
ANONYMOUS = _words(
    "officials official sources source experts analysts observers critics people "
    "insiders insider diplomats residents witnesses reports report media supporters "
    "opponents skeptics sceptics proponents advocates researchers scientists officers "
    "evidence executives investigators prosecutors those "
    "insidern insider kreisen experten expertinnen kritiker kritikerinnen beobachter "
    "medienberichten medienberichte berichten berichte quellen beobachtern skeptiker "
    "befürworter befürworterinnen gegner diplomaten augenzeugen zeugen informationen angaben"
)

# Between an English subject and its attribution verb: "has said", "will not tell", "'d told".
AUXILIARIES_EN = _words(
    "am are be been being can could did do does had has have is may might must 'd 'll 're 's "
    "'ve ’d ’ll ’re ’s ’ve shall should was were will would not n't n’t never also to"
)
# Prepositional attribution: "laut X", "gemäß X", "nach Angaben X"; "X zufolge" is a postposition.
PRE_CUES = {"de": _words("laut gemäß gemäss"), "en": frozenset()}
OPINION_NOUNS_DE = _words("meinung ansicht auffassung überzeugung")
NACH_NOUNS = _words(
    "angaben ansicht aussage aussagen darstellung einschätzung worten schätzungen erkenntnissen "
    "informationen berechnungen ermittlungen ermittlungsstand"
)
PRONOUNS = {"de": _words("er sie"), "en": _words("he she they")}
DETERMINERS = _words(
    "a an das dem den der des die ein eine einem einen einer eines our that the this unser unsere"
)
# Konjunktiv I forms that mark German indirect speech. Forms also used in the first person
# singular (habe, werde, ...) count only when the sentence has no "ich" outside quotes.
KONJ1 = _words(
    "arbeite bedeute befinde bleibe brauche diene drohe dürfe erwarte fehle finde freue "
    "führe gebe gehe gelte glaube habe halte handle heiße hoffe komme könne lasse laufe "
    "liege mache möge müsse nehme plane reiche sehe sei seien seiest solle spiele stehe "
    "trage treffe verfüge werde wisse wolle zeige"
)
KONJ1_AMBIGUOUS = _words("freue gebe glaube habe hoffe komme mache sehe werde")
# Konjunktiv II: hypothetical or polite, not a marker of reported speech.
KONJ2 = _words(
    "bräuchte dürfte dürften ginge gäbe hätte hätten käme könnte könnten möchte möchten "
    "müsste müssten sollte sollten wollte wollten wäre wären würde würden"
)
# Role nouns that introduce a person ("US-Präsident Donald Trump"), matched as word endings.

_ROLES = _words(
    "abgeordnete abgeordneter ambassador analyst berater beraterin botschafter "
    "bürgermeister bürgermeisterin ceo chairman chancellor chef chefin director direktor "
    "direktorin experte expertin führer general gouverneur governor judge kanzler "
    "kanzlerin king korrespondent leader machthaber mayor minister ministerin official "
    "president präsident präsidentin queen reporter representative secretary senator "
    "spokesman spokesperson spokeswoman sprecher sprecherin vorsitzende vorsitzender "
    "officer strategist stratege strategin chairwoman chair leiter leiterin professor "
    "professorin scholar economist ökonom ökonomin geschäftsführer geschäftsführerin "
    "trainer coach commissioner superintendent inspector administrator founder gründer "
    "gründerin vorstand manager managerin chief verteidiger verteidigerin anwalt anwältin "
    "richter richterin hauptmann kicker spieler spielerin stürmer torwart kapitän"
)
ROLE_SUFFIX = re.compile(r"(" + "|".join(sorted(_ROLES)) + r")$", re.IGNORECASE)

# --- claim types ---

NOT_CLAIM_STARTS = {
    "de": _phrases(
        "danke|vielen dank|hallo|guten morgen|guten tag|guten abend|bitte |willkommen|"
        "herzlich willkommen|tschüss|auf wiedersehen|mehr zum thema|lesen sie auch|foto:|"
        "©"
    ),
    "en": _phrases(
        "thank you|thanks|hello|good morning|good evening|good afternoon|welcome|please |"
        "goodbye|ladies and gentlemen|read more|photo:|©|let me |let's |god bless"
    ),
}
FUTURE_WORDS = {
    "de": _phrases(
        "in zukunft|zukünftig|künftig|demnächst|in den nächsten|im nächsten jahr|"
        "im kommenden|in den kommenden|nächstes jahr|voraussichtlich|prognose|"
        "prognostiziert|erwartet, dass|rechnet damit|bald "
    ),
    "en": _phrases(
        "in the future|next year|next month|next week|in the coming|by 20|forecast|"
        "predict|projected|is expected to|are expected to|is set to|are set to|going to |"
        "is likely to|are likely to"
    ),
}
CAUSAL = {
    "de": _phrases(
        "weil|deshalb|daher|deswegen|wegen|aufgrund|infolge|dank|führt zu|führte zu|"
        "führten zu|geführt|verursacht|ausgelöst|grund dafür|grund für|gründe dafür|"
        "gründe für|aus diesem grund|aus gründen|hauptgrund|ursache|ursächlich|sorgt für|"
        "sorgte für|sodass|so dass|zur folge|verantwortlich|liegt an|lag an|schuld"
    ),
    "en": _phrases(
        "because|caused|causes|cause|due to|as a result|resulted in|results in|result of|"
        "leads to|led to|lead to|thanks to|the reason for|reason why|reasons for|"
        "for this reason|therefore|responsible for|blamed|"
        "contributed to|driven by"
    ),
}
LEGAL = {
    "de": _phrases(
        "gesetz|gesetzlich|verbot|verboten|illegal|legal|rechtswidrig|verfassung|"
        "grundgesetz|vorschrift|verordnung|richtlinie|paragraf|paragraph|§|erlaubt|"
        "pflicht|in kraft|strafbar|gericht|urteil"
    ),
    "en": _phrases(
        "law|laws|legal|illegal|unlawful|banned|ban|prohibited|regulation|regulations|"
        "statute|constitution|constitutional|mandatory|required by|in force|court ruled|"
        "legislation|act of"
    ),
}
COMPARE = {
    "de": _phrases(
        "mehr als|weniger als|doppelt so|halb so|verdoppelt|verdreifacht|halbiert|"
        "gestiegen|gesunken|stieg|sank|steigt|sinkt|zugenommen|abgenommen|wächst|wuchs|"
        "gewachsen|anstieg|rückgang|im vergleich|gegenüber dem vorjahr|rekord|am meisten|"
        "so viel wie|so viele wie|höher als|niedriger als|größer als|kleiner als|"
        "besser als|schlechter als"
    ),
    "en": _phrases(
        "more than|less than|fewer than|than |doubled|tripled|halved|increased|decreased|"
        "rose|risen|fell|fallen|grew|grown|declined|dropped|soared|plunged|compared to|"
        "compared with|record|as many as|as much as|the most|the least|highest|lowest"
    ),
}
WERDEN = _words("wird werde werden wirst werdet")
FUTURE_MODALS_DE = _words("könnte könnten dürfte dürften könne")
FIRST_PERSON = {"de": _words("ich wir"), "en": _words("i we")}
