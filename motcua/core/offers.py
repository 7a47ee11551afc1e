"""What a page or the API offers a person on an aggregate with a lifecycle: each action of the table for its status,
with the reason it is refused now ("" when allowed). The app's rules module builds them; screens only show them."""

from dataclasses import dataclass
from typing import Generic, TypeVar

A = TypeVar("A")


@dataclass(frozen=True)
class Offer(Generic[A]):
    action: A
    label: str
    refusal: str
    needs_reason: bool = False

    @property
    def allowed(self) -> bool:
        return not self.refusal
