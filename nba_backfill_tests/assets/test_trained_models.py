"""The on-disk model cache: keyed by the training frames and the code, loaded instead of fitted, self-healing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nba_backfill.assets import trained_models as tm
from nba_backfill.logic.predictions.models import TrainedModels


@pytest.fixture(autouse=True)
def _fresh_process_cache(monkeypatch):
    monkeypatch.setattr(tm, "_IN_PROCESS", {})


def _frames(points: int = 10) -> dict[str, pd.DataFrame]:
    return {"player_box": pd.DataFrame({"player_id": [1, 2], "pts": [points, 7]})}


def _trainer(calls: list):
    def train(frames):
        calls.append(frames)
        rows = len(next(iter(frames.values())))
        return TrainedModels("boosted", "linear", dt.date(2025, 1, 1), dt.date(2025, 4, 1), rows)
    return train


def test_models_are_fitted_once_then_loaded_from_disk_by_another_process(tmp_path):
    calls: list = []
    first = tm.load_or_train(tmp_path, _frames(), _trainer(calls))
    assert len(calls) == 1 and len(list(tmp_path.glob("models-*.pkl"))) == 1
    tm._IN_PROCESS.clear()  # as in a new run process
    again = tm.load_or_train(tmp_path, _frames(), _trainer(calls))
    assert len(calls) == 1 and again == first
    assert tm.load_or_train(tmp_path, _frames(), _trainer(calls)) is again  # then from the process


def test_other_training_data_is_another_key(tmp_path):
    calls: list = []
    tm.load_or_train(tmp_path, _frames(10), _trainer(calls))
    tm.load_or_train(tmp_path, _frames(11), _trainer(calls))
    tm.load_or_train(tmp_path, {"other_name": _frames(10)["player_box"]}, _trainer(calls))
    assert len(calls) == 3 and len(list(tmp_path.glob("models-*.pkl"))) == 3
    assert tm.cache_key(_frames(10)) == tm.cache_key(_frames(10))


def test_a_corrupt_cache_file_is_replaced(tmp_path):
    calls: list = []
    (tmp_path / f"models-{tm.cache_key(_frames())}.pkl").write_bytes(b"not a pickle")
    models = tm.load_or_train(tmp_path, _frames(), _trainer(calls))
    assert len(calls) == 1 and models.training_rows == 2
    tm._IN_PROCESS.clear()
    assert tm.load_or_train(tmp_path, _frames(), _trainer(calls)) == models and len(calls) == 1


def test_no_cache_dir_caches_in_the_process_only(tmp_path):
    calls: list = []
    tm.load_or_train(None, _frames(), _trainer(calls))
    tm.load_or_train(None, _frames(), _trainer(calls))
    assert len(calls) == 1 and not list(tmp_path.iterdir())
