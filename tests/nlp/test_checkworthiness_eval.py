"""The evaluation harness (training/checkworthiness/) and `manage.py evaluate_claims`.

Runs on small files written in the datasets' formats, so it needs nothing from ../shared.
"""

import csv
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.nlp.checkworthiness import checkworthiness_model
from training.checkworthiness.evaluate import evaluate, format_results, split_sentences
from training.checkworthiness.metrics import (
    average_precision,
    f1_positive,
    germeval_official,
    mean_average_precision,
)

CLAIMS = [
    "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years.",
    "We have cut taxes for 82 percent of middle-income families.",
    "China's military spending has doubled since 2010.",
]
CHAT = ["Thank you very much.", "Good evening, everybody.", "Let me answer that question."]
DE_CLAIMS = [
    "Die Arbeitslosenquote ist im vergangenen Jahr auf 5,2 Prozent gesunken.",
    "Seit 1990 hat sich die Zahl der Verkehrstoten mehr als halbiert.",
]
DE_CHAT = ["Vielen Dank und schönes Wochenende!", "Haha, der war gut", "Guten Abend."]


def test_f1_and_germeval_score_by_hand():
    labels = [1, 1, 0, 0, 0]
    predictions = [1, 0, 1, 0, 0]
    assert f1_positive(labels, predictions) == pytest.approx(0.5)
    # Class 1: P 1/2, R 1/2; class 0: P 2/3, R 2/3 -> macro P = macro R = 7/12.
    assert germeval_official(labels, predictions) == pytest.approx(100 * 7 / 12)
    # The official score is not sklearn's macro-F1 when precision and recall differ per class.
    assert germeval_official([1, 1, 1, 0], [1, 1, 1, 1]) == pytest.approx(
        100 * 2 * (0.375 * 0.5) / (0.375 + 0.5)
    )


def test_average_precision_and_map_over_documents():
    assert average_precision([0, 1, 0, 1], [0.9, 0.8, 0.1, 0.7]) == pytest.approx(
        (1 / 2 + 2 / 3) / 2
    )
    labels = [1, 0, 0, 1]
    scores = [0.9, 0.1, 0.8, 0.2]
    groups = ["a", "a", "b", "b"]
    # Document a: AP 1; document b: positive ranked second, AP 1/2.
    assert mean_average_precision(labels, scores, groups) == pytest.approx(0.75)


def test_split_sentences_keeps_german_quotes_together():
    text = 'Das ist gut. "Wir gehen", sagte er. Kim habe ihm versprochen.\nÜberschrift'
    assert split_sentences(text) == [
        "Das ist gut.",
        '"Wir gehen", sagte er.',
        "Kim habe ihm versprochen.",
        "Überschrift",
    ]


def _write_csv(path: Path, header: list[str], rows: list[list], delimiter: str = ",") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def datasets(tmp_path) -> Path:
    root = tmp_path / "datasets"
    cb_header = ["Sentence_id", "Text", "Speaker", "Speaker_title", "Speaker_party", "File_id",
                 "Length", "Line_number", "Sentiment", "Verdict"]  # fmt: skip
    rows = [[i, t, "", "", "", "", 0, i, 0.0, 1 if t in CLAIMS else -1]
            for i, t in enumerate(CLAIMS + CHAT)]  # fmt: skip
    _write_csv(root / "claimbuster" / "groundtruth.csv", cb_header, rows)
    _write_csv(
        root / "checkthat2024" / "CT24_checkworthy_english_dev-test.tsv",
        ["Sentence_id", "Text", "class_label"],
        [[i, t, "Yes" if t in CLAIMS else "No"] for i, t in enumerate(CHAT + CLAIMS)],
        delimiter="\t",
    )
    debates = root / "checkthat2019" / "training"
    debates.mkdir(parents=True)
    for name, lines in [("20190108_oval_office", CHAT + CLAIMS), ("20160926_1pres", CLAIMS)]:
        (debates / f"{name}.tsv").write_text(
            "".join(f"{i}\tTRUMP\t{t}\t{int(t in CLAIMS)}\n" for i, t in enumerate(lines, 1)),
            encoding="utf-8",
        )
    ge_rows = [[i, t, 0, 0, int(t in DE_CLAIMS)] for i, t in enumerate((DE_CLAIMS + DE_CHAT) * 6)]
    _write_csv(
        root / "germeval2021" / "GermEval21_TrainData.csv",
        ["comment_id", "comment_text", "Sub1_Toxic", "Sub2_Engaging", "Sub3_FactClaiming"],
        ge_rows,
    )
    return root


def test_evaluate_scores_every_dev_split_with_the_shipped_model(datasets):
    results = evaluate(checkworthiness_model(), datasets)
    assert results["checkthat2024_dev"]["n"] == 6
    assert results["checkthat2024_dev"]["f1_positive"] == pytest.approx(1.0)
    assert results["claimbuster_groundtruth"]["average_precision"] == pytest.approx(1.0)
    # Only the held-out debate counts for the ranking metric.
    assert results["checkthat2019_heldout_debates"]["debates"] == 1
    assert results["checkthat2019_heldout_debates"]["map"] == pytest.approx(1.0)
    assert results["germeval2021_dev"]["n"] == 6  # 20 % of each class of 30 comments
    assert results["germeval2021_dev"]["official"] == pytest.approx(100.0)
    # No ../seeds beside these test data: the shared seed beside the checkout is used.
    assert results["seed_article"]["rank"] <= 5
    assert "subjectivity2025_dev_test_en" not in results  # no such files here


def test_subjectivity_dev_test_is_scored_when_present(datasets):
    folder = datasets / "subjectivity" / "checkthat2025-task1" / "english"
    folder.mkdir(parents=True)
    rows = [
        ("s1", "The company reported a net loss of 12 million dollars in 2023.", "OBJ"),
        ("s2", "The bill was passed by the Senate on Tuesday with 52 votes.", "OBJ"),
        ("s3", "This is, frankly, the most disgraceful decision I have ever seen.", "SUBJ"),
        ("s4", "What a wonderful, brave and inspiring speech that was!", "SUBJ"),
    ]
    # A stray quote in a sentence: the file must be read with quoting off.
    rows.append(("s5", 'He called it "a "historic" day" for the country.', "SUBJ"))
    (folder / "dev_test_en.tsv").write_text(
        "sentence_id\tsentence\tlabel\n" + "".join("\t".join(r) + "\n" for r in rows),
        encoding="utf-8",
    )
    results = evaluate(checkworthiness_model(), datasets)
    subjectivity = results["subjectivity2025_dev_test_en"]
    assert subjectivity["n"] == 5
    assert 0.0 <= subjectivity["macro_f1"] <= 1.0
    assert "subjectivity dev-test (en, n=5)" in format_results(results)
    text = format_results(results)
    assert "MAP 1.000" in text and "official 100.00" in text


def test_evaluate_claims_command_prints_json(datasets, capsys):
    call_command("evaluate_claims", "--public", "--data", str(datasets), "--json")
    results = json.loads(capsys.readouterr().out)["public"]
    assert set(results) >= {
        "checkthat2024_dev",
        "claimbuster_groundtruth",
        "checkthat2019_heldout_debates",
        "germeval2021_dev",
        "seed_article",
    }


def test_evaluate_claims_command_without_data_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMTRACKER_DATASETS", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match=r"no evaluation data at .*nowhere"):
        call_command("evaluate_claims", "--public")
