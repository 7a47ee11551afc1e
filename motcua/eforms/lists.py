"""Pick-lists (danh mục) as versioned data with their source, and the shipped form definitions and result templates:
read from files."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class PickList:
    name: str
    title: str
    source: str
    items: tuple[tuple[str, str], ...]  # (value, label), in the official order

    def label(self, value: object) -> str:
        return next((label for code, label in self.items if code == value), "")


@cache
def pick_lists() -> dict[str, PickList]:
    """Return the shipped pick-lists by name (data/lists/*.json)."""
    lists = {}
    for path in sorted((DATA / "lists").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        items = tuple((str(item["value"]), str(item["label"])) for item in raw["items"])
        lists[raw["name"]] = PickList(raw["name"], raw["title"], raw["source"], items)
    return lists


def shipped_forms() -> dict[str, Any]:
    """Return the shipped form definitions (data/forms/<procedure code>.json) by file name, as documents."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted((DATA / "forms").glob("*.json"))
    }


def shipped_results() -> dict[str, Any]:
    """Return the shipped result templates as documents (`motcua-result/1`) by procedure code: each body is
    data/results/<code>.html, its title and source are in data/results/sources.json."""
    folder = DATA / "results"
    sources = json.loads((folder / "sources.json").read_text(encoding="utf-8"))
    return {
        code: {
            "format": "motcua-result/1",
            "procedure": code,
            "title": meta["title"],
            "source": {"legal_basis": meta["legal_basis"], "confirmed": meta["confirmed"]},
            "body": (folder / f"{code}.html").read_text(encoding="utf-8"),
        }
        for code, meta in sorted(sources.items())
    }
