"""The thresholds training.matching.train stores: their precision holds at the stored value."""

from training.matching.blend import threshold_for


def test_the_stored_threshold_keeps_its_precision():
    # 18 right matches well above, then right / wrong ones a hair apart just above 0.920.
    pairs = [(0.95, True)] * 18 + [(0.9203, True), (0.9201, False), (0.9200, False)]
    threshold = threshold_for(pairs, 0.95)
    above = [ok for score, ok in pairs if score >= threshold]
    assert sum(above) / len(above) >= 0.95
    # The lowest such value on the 0.001 grid: 0.920 would let in both wrong ones (19 of 21).
    assert threshold == 0.921


def test_no_threshold_reaches_the_precision():
    assert threshold_for([(0.9, False), (0.5, True)], 0.95) == 1.0
