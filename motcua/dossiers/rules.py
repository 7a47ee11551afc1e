"""The transition table made executable: what a person may do to a dossier now, and why not.

Each guard of `lifecycle.Guard` is a predicate over a `Context` (the dossier, its steps, the person and the time) that
returns a Vietnamese refusal or nothing. `services.perform` runs them on the locked dossier before acting;
`available_actions` runs the same ones without acting, so that every screen and the API offer exactly what `perform`
accepts. Checks of what a person types (a reason, a date, the papers asked for) are the effects' inputs, not guards.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, Protocol, TypeVar, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from motcua.core import clock
from motcua.organizations.models import Role, Unit, User
from motcua.organizations.selectors import posts_of
from motcua.worktime.arithmetic import to_local
from motcua.worktime.selectors import calendar_for

from .letters import delaying_step
from .lifecycle import ACTION_LABELS, TRANSITIONS, Action, Actor, Guard, Status, Transition
from .models import Dossier, DossierRating, ResultDocument, StepTask
from .processing import DEPUTIES, StepState, suits

T = TypeVar("T")
Shared = dict[tuple[object, ...], Any]
STAFF_ROLES = {Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER}
# Heads and deputies: the step such a person does is where a result is signed when no entry names it.
SIGNING_POSITIONS = frozenset({*DEPUTIES, *DEPUTIES.values(), "truong_phong", "pho_truong_phong"})


@dataclass(frozen=True)
class Refusal:
    message: str
    code: str = "conflict"  # or "not_permitted": who asks, not when, is the problem
    guard: Guard | None = None


class SigningPolicy(Protocol):
    """What the signing context tells the dossier rules; registered by it, since dossiers sit below it."""

    def signs_results(self, dossier: Dossier) -> tuple[bool, int | None]:
        """Tell whether the dossier's result is signed in the system, and the position of the step named for it."""

    def refusal_to_sign(self, user: User, dossier: Dossier, *, record: bool, shared: Shared | None = None) -> str:
        """Say why the register does not let this person sign this dossier's result today, or return "".

        An offer (not `record`) may keep what every dossier of a list shares in `shared`.
        """

    def refusal_to_sign_letter(self, user: User, unit: Unit, dossier: Dossier, form: str, on: date) -> str:
        """Say why the register does not let this person sign the unit's letter about this dossier on this day, or
        return "": Form 04 is registered as a công văn, Form 05 as a thông báo."""

    def sign(self, context: "Context", passphrase: str) -> ResultDocument:
        """Stamp and sign the latest result under the register's block; return the signed result."""


class _Unsigned:
    """The policy in force until the signing context registers its own: results are not signed in the system."""

    def signs_results(self, dossier: Dossier) -> tuple[bool, int | None]:
        return False, None

    def refusal_to_sign(self, user: User, dossier: Dossier, *, record: bool, shared: Shared | None = None) -> str:
        return "Thủ tục chưa được khai báo thẩm quyền ký kết quả."

    def refusal_to_sign_letter(self, user: User, unit: Unit, dossier: Dossier, form: str, on: date) -> str:
        return ""  # without a register, the unit's leaders sign its letters on paper

    def sign(self, context: "Context", passphrase: str) -> ResultDocument:
        raise NotImplementedError


_signing: list[SigningPolicy] = [_Unsigned()]


def use_signing(policy: SigningPolicy) -> None:
    """Plug in the signing context (called once from its AppConfig.ready)."""
    _signing[0] = policy


def signing() -> SigningPolicy:
    return _signing[0]


# The letters of the competent side the register must let their signer sign, as the refusals name them.
LETTERS = {"04": "Văn bản xin lỗi và đề nghị gia hạn (Mẫu số 04)", "05": "Thông báo dừng giải quyết hồ sơ (Mẫu số 05)"}


def letter_refusal(user: User, unit: Unit, dossier: Dossier, form: str, on: date) -> str:
    """Say, in the register's words, why this person may not sign the unit's Form 04 or 05 about a dossier on a day."""
    reason = signing().refusal_to_sign_letter(user, unit, dossier, form, on)
    if not reason:
        return ""
    return f"{user} không được ký {LETTERS[form]} của {unit.name} theo sổ đăng ký thẩm quyền ký: {reason}"


@dataclass
class Context:
    """A dossier as the rules see it for one person at one instant; built once, read by every guard."""

    dossier: Dossier
    user: User
    now: datetime
    steps: list[StepTask]
    capacities: set[Actor] = field(default_factory=set)
    reason: str = ""  # what the person acting wrote, once the input is checked
    shared: Shared = field(default_factory=dict)

    def remember(self, key: tuple[object, ...], read: Callable[[], T]) -> T:
        """Read a fact once per memo: what a list of dossiers has in common is read for the first one only."""
        if key not in self.shared:
            self.shared[key] = read()
        return cast(T, self.shared[key])

    @cached_property
    def step(self) -> StepTask | None:
        return next((s for s in self.steps if s.state == StepState.ACTIVE), None)

    @cached_property
    def following(self) -> StepTask | None:
        step = self.step
        return next((s for s in self.steps if s.position > step.position), None) if step else None

    @cached_property
    def previous(self) -> StepTask | None:
        step = self.step
        return next((s for s in reversed(self.steps) if s.position < step.position), None) if step else None

    @cached_property
    def latest_result(self) -> ResultDocument | None:
        return self.dossier.results.order_by("-created_at", "-pk").first()

    @cached_property
    def leader_step(self) -> int | None:
        """Return the last step done by a head or deputy: where a result is signed when no entry names the step."""
        return next((s.position for s in reversed(self.steps) if s.staff_position in SIGNING_POSITIONS), None)

    @cached_property
    def signing_position(self) -> int | None:
        """Return the step where the result is signed in the system, or None when it is not signed here."""
        signs = signing().signs_results
        signed, named = self.remember(("signs", self.dossier.version_id), lambda: signs(self.dossier))
        return (named if named is not None else self.leader_step) if signed else None

    @cached_property
    def result_position(self) -> int | None:
        """Return the step that produces the result: the one before the signing step, else the last one.

        Where the result is signed on paper, the leader's step still signs it and the step before drafts it.
        """
        if not self.steps:
            return None
        signer = self.signing_position if self.signing_position is not None else self.leader_step
        if signer is None:
            return self.steps[-1].position
        # The drafting step is the last one before the signature in the signer's own unit (a consulted unit only
        # gives its opinion), else the one just before it.
        unit = next(s.unit_id for s in self.steps if s.position == signer)
        before = [s for s in self.steps if s.position < signer]
        drafting = [s.position for s in before if s.unit_id == unit] or [s.position for s in before]
        return drafting[-1] if drafting else signer


def deputies() -> bool:
    """Tell whether a deputy may do the head's step (settings.MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD, see processing.py)."""
    return bool(settings.MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD)


# Where a list of dossiers loads each one's steps and results for the rules (Prefetch to_attr): plain lists, which
# spare Django's queryset per row and per relation.
LISTED_STEPS, LISTED_RESULTS = "listed_steps", "listed_results"
LISTED = {"steps": LISTED_STEPS, "results": LISTED_RESULTS}


def context_for(dossier: Dossier, user: User, now: datetime | None = None, *, shared: Shared | None = None) -> Context:
    """Read what the rules need about a dossier and a person: its steps and results, unless loaded with the dossier
    (`selectors.get_dossier_for` does), and the person's posts (read once per user object).

    A list asking about many dossiers for one person passes one `shared` memo: each version's signing entry and the
    register's answer per version and unit are then read once.
    """
    cached = {
        **getattr(dossier, "_prefetched_objects_cache", {}),
        **{name: vars(dossier)[attr] for name, attr in LISTED.items() if attr in vars(dossier)},
    }
    steps = (
        cached["steps"]
        if "steps" in cached
        else StepTask.objects.select_related("unit", "assignee").filter(dossier=dossier)
    )
    context = Context(
        dossier,
        user,
        now or clock.now(),
        sorted(steps, key=lambda s: s.position),
        shared={} if shared is None else shared,
    )
    if "results" in cached:
        context.latest_result = max(cached["results"], key=lambda r: (r.created_at, r.pk), default=None)
    context.capacities = actors_of(user, dossier, context.step)
    return context


def system_context(dossier: Dossier, now: datetime | None = None) -> Context:
    """The rules' view of a dossier when no person acts (the payment platform's confirmation): only SYSTEM rules."""
    steps = StepTask.objects.select_related("unit", "assignee").filter(dossier=dossier)
    nobody = cast(User, AnonymousUser())
    return Context(dossier, nobody, now or clock.now(), sorted(steps, key=lambda s: s.position), {Actor.SYSTEM})


def actors_of(user: User, dossier: Dossier, step: StepTask | None = None) -> set[Actor]:
    """Tell in which capacities a person may act on a dossier (and on its current step, if given)."""
    actors = set()
    if dossier.citizen_id is not None and dossier.citizen_id == user.pk:
        actors.add(Actor.APPLICANT)
    if not user.is_authenticated or user.is_citizen:
        return actors
    for unit_id, role, position in posts_of(user):
        if unit_id == dossier.receiving_unit_id and role == Role.ONE_STOP_OFFICER:
            actors.add(Actor.RECEIVING_OFFICER)
        if unit_id == dossier.competent_unit_id and role in {Role.SPECIALIST, Role.LEADER}:
            actors.add(Actor.COMPETENT_STAFF)
        if unit_id == dossier.competent_unit_id and role == Role.LEADER:
            actors.add(Actor.COMPETENT_LEADER)
        if step is not None and unit_id == step.unit_id:
            if role in STAFF_ROLES and suits(step.staff_position, position, deputies=deputies()):
                actors.add(Actor.STEP_OFFICER)
            if role == Role.LEADER:
                actors.add(Actor.HOLDING_LEADER)
    return actors


# -- the guards -------------------------------------------------------------------------------------------------


def _step_active(c: Context, rule: Transition) -> Refusal | None:
    return None if c.step is not None else Refusal("Hồ sơ không có bước nào đang chờ xử lý.")


def _step_in_hand(c: Context, rule: Transition) -> Refusal | None:
    step = c.step
    if step is None:
        return Refusal("Hồ sơ không có bước nào đang chờ xử lý.")
    if step.assignee_id is not None and step.assignee_id != c.user.pk:
        return Refusal(f"Bước «{step.name}» đã được giao cho {step.assignee}; chỉ người đó xử lý.", "not_permitted")
    if rule.action is Action.CLAIM and step.assignee_id == c.user.pk:
        return Refusal(f"Bạn đã nhận xử lý bước «{step.name}».")
    return None


def _hand_over_hint(c: Context) -> str:
    step, following = c.step, c.following
    if step is None:
        return "Hồ sơ không có bước nào đang chờ xử lý."
    if following is None:
        return f"«{step.name}» là bước cuối: dùng thao tác «Hoàn thành giải quyết»."
    if following.unit_id == step.unit_id:
        return f"Bước tiếp theo «{following.name}» cùng đơn vị: dùng thao tác «Hoàn thành bước»."
    return f"Bước tiếp theo «{following.name}» ở {following.unit}: dùng thao tác «Chuyển liên thông»."


def _next_step_here(c: Context, rule: Transition) -> Refusal | None:
    here = c.step is not None and c.following is not None and c.following.unit_id == c.step.unit_id
    return None if here else Refusal(_hand_over_hint(c))


def _next_step_elsewhere(c: Context, rule: Transition) -> Refusal | None:
    elsewhere = c.step is not None and c.following is not None and c.following.unit_id != c.step.unit_id
    return None if elsewhere else Refusal(_hand_over_hint(c))


def _last_step(c: Context, rule: Transition) -> Refusal | None:
    if c.step is not None and c.following is not None:
        return Refusal(
            f"Chưa thể hoàn thành hồ sơ: sau bước «{c.step.name}» còn bước «{c.following.name}»; "
            "không được bỏ qua bước của quy trình nội bộ."
        )
    return None


def _has_previous_step(c: Context, rule: Transition) -> Refusal | None:
    if c.previous is None:
        return Refusal("Đây là bước đầu tiên của quy trình; không có bước trước để trả lại.")
    return None


def _result_attached(c: Context, rule: Transition) -> Refusal | None:
    if c.latest_result is None:
        return Refusal("Cần đính kèm kết quả giải quyết (tệp PDF) trước khi hoàn thành hồ sơ.")
    return None


def _no_result(c: Context, rule: Transition) -> Refusal | None:
    if c.latest_result is not None:
        return Refusal("Hồ sơ đã có kết quả giải quyết nên không thể dừng giải quyết (Mẫu số 05).")
    return None


def _not_yet_received(c: Context, rule: Transition) -> Refusal | None:
    """Form 03 refuses reception (DOMAIN.md §1.3(a)); a dossier once received is ended by a stop, Form 05."""
    received = c.dossier.received_at
    if received is not None:
        return Refusal(
            f"Hồ sơ đã được tiếp nhận lúc {to_local(received):%H:%M %d/%m/%Y} nên không thể từ chối tiếp nhận "
            "(Mẫu số 03); nếu hồ sơ không đủ điều kiện giải quyết, lãnh đạo cơ quan có thẩm quyền thông báo dừng giải "
            "quyết (Mẫu số 05)."
        )
    return None


def _received_once(c: Context, rule: Transition) -> Refusal | None:
    """A dossier asked for papers before anyone received it is refused (Form 03), not stopped: it was never accepted,
    and a stop would leave it outside every QĐ 766 figure."""
    if c.dossier.received_at is None:
        return Refusal(
            "Hồ sơ chưa được tiếp nhận nên không thông báo dừng giải quyết (Mẫu số 05); công chức một cửa từ chối "
            "tiếp nhận hồ sơ (Mẫu số 03)."
        )
    return None


def _extension_once(c: Context, rule: Transition) -> Refusal | None:
    if c.dossier.original_due_at is not None:
        return Refusal(
            "Hồ sơ đã được xin lỗi và hẹn lại ngày trả kết quả một lần; việc hẹn lại chỉ được thực hiện một lần "
            "(quy định kế thừa từ Nghị định 61/2018/NĐ-CP, Điều 12; điều tương ứng của Nghị định 118/2025/NĐ-CP "
            "chưa được đối chiếu)."
        )
    return None


def _before_d_minus_one(c: Context, rule: Transition) -> Refusal | None:
    """Form 04 is sent by D-1 at the latest (DOMAIN.md §1.3(d))."""
    if c.dossier.due_at is None:
        return Refusal("Hồ sơ chưa có ngày hẹn trả.")
    unit = c.dossier.competent_unit
    last_day = c.remember(("calendar", unit.pk), lambda: calendar_for(unit)).d_minus_one(c.dossier.due_at)
    if to_local(c.now).date() > last_day:
        return Refusal(
            f"Đã quá thời hạn xin lỗi và gia hạn: phải thực hiện chậm nhất ngày {last_day:%d/%m/%Y}, "
            "một ngày làm việc trước ngày hẹn trả."
        )
    return None


def _supplement_rounds(c: Context, rule: Transition) -> Refusal | None:
    limit = settings.MOTCUA_MAX_SUPPLEMENT_ROUNDS
    if c.dossier.supplement_rounds >= limit:
        return Refusal(
            f"Hồ sơ đã được yêu cầu bổ sung {c.dossier.supplement_rounds} lần; không được yêu cầu quá {limit} lần "
            "(Nghị định 63/2010/NĐ-CP, Điều 20 khoản 4). Hãy giải quyết hồ sơ; nếu không đủ điều kiện, từ chối "
            "tiếp nhận (Mẫu 03) khi hồ sơ chưa được tiếp nhận, hoặc đề nghị lãnh đạo đơn vị dừng giải quyết (Mẫu 05) "
            "nêu rõ lý do."
        )
    return None


def _not_rated(c: Context, rule: Transition) -> Refusal | None:
    if DossierRating.objects.filter(dossier=c.dossier).exists():
        return Refusal("Hồ sơ này đã được đánh giá.")
    return None


def _form_filed(c: Context, rule: Transition) -> Refusal | None:
    filed = c.dossier.form_id is not None
    return None if filed else Refusal("Hồ sơ nộp tờ khai giấy: không có tờ khai điện tử để đính chính.")


def _result_step(c: Context, rule: Transition) -> Refusal | None:
    if c.step is None or c.step.position != c.result_position:
        producer = next((s for s in c.steps if s.position == c.result_position), None)
        where = f" ở bước «{producer.name}»" if producer else ""
        return Refusal(f"Kết quả giải quyết chỉ được đính kèm hoặc tạo{where}, khi các bước trước đã xong.")
    return None


def _signing_step(c: Context, rule: Transition) -> Refusal | None:
    if c.signing_position is None:
        return Refusal("Thủ tục này chưa được khai báo ký số kết quả trên hệ thống.")
    if c.step is None or c.step.position != c.signing_position:
        signer = next((s for s in c.steps if s.position == c.signing_position), None)
        name = f"«{signer.name}»" if signer else f"số {c.signing_position + 1}"
        return Refusal(f"Kết quả chỉ được ký ở bước {name} của quy trình, khi hồ sơ đến bước đó.")
    return None


def _result_unsigned(c: Context, rule: Transition) -> Refusal | None:
    if c.latest_result is not None and c.latest_result.signature is not None:
        return Refusal("Kết quả mới nhất đã được ký số; muốn sửa phải trả lại bước trước để đính kèm bản đính chính.")
    return None


def _may_sign(c: Context, rule: Transition) -> Refusal | None:
    key = ("may-sign", c.user.pk, c.dossier.version_id, c.dossier.competent_unit_id)
    reason = c.remember(key, lambda: signing().refusal_to_sign(c.user, c.dossier, record=False, shared=c.shared))
    return Refusal(reason, "not_permitted") if reason else None


def _may_sign_letter(c: Context, rule: Transition) -> Refusal | None:
    """ND 30/2020 art. 13: the leader who stops a dossier signs Form 05, and the one who extends it Form 04, under the
    register; the apology of a unit that ran late is signed by the person chosen there, checked with the input."""
    dossier = c.dossier
    unit = dossier.competent_unit
    if rule.action is Action.EXTEND:
        calendar = c.remember(("calendar", unit.pk), lambda: calendar_for(unit))
        late = delaying_step(dossier, c.steps, c.now, calendar)
        if late is not None and late.unit_id != unit.pk:
            return None
    form = "04" if rule.action is Action.EXTEND else "05"
    day = to_local(c.now).date()
    key = ("may-sign-letter", c.user.pk, unit.pk, dossier.version_id, form, day)
    reason = c.remember(key, lambda: letter_refusal(c.user, unit, dossier, form, day))
    return Refusal(reason, "not_permitted") if reason else None


def _signed_at_signing_step(c: Context, rule: Transition) -> Refusal | None:
    at_signing = c.step is not None and c.signing_position == c.step.position
    if at_signing and (c.latest_result is None or c.latest_result.signature is None):
        return Refusal("Đây là bước ký kết quả: dùng thao tác «Ký số kết quả»; bước hoàn thành khi kết quả được ký.")
    return None


GUARDS: dict[Guard, Callable[[Context, Transition], Refusal | None]] = {
    Guard.STEP_ACTIVE: _step_active,
    Guard.STEP_IN_HAND: _step_in_hand,
    Guard.NEXT_STEP_HERE: _next_step_here,
    Guard.NEXT_STEP_ELSEWHERE: _next_step_elsewhere,
    Guard.LAST_STEP: _last_step,
    Guard.HAS_PREVIOUS_STEP: _has_previous_step,
    Guard.RESULT_ATTACHED: _result_attached,
    Guard.NO_RESULT: _no_result,
    Guard.NOT_YET_RECEIVED: _not_yet_received,
    Guard.RECEIVED_ONCE: _received_once,
    Guard.EXTENSION_ONCE: _extension_once,
    Guard.BEFORE_D_MINUS_ONE: _before_d_minus_one,
    Guard.SUPPLEMENT_ROUNDS: _supplement_rounds,
    Guard.NOT_RATED: _not_rated,
    Guard.RESULT_STEP: _result_step,
    Guard.FORM_FILED: _form_filed,
    Guard.SIGNING_STEP: _signing_step,
    Guard.RESULT_UNSIGNED: _result_unsigned,
    Guard.MAY_SIGN: _may_sign,
    Guard.SIGNED_AT_SIGNING_STEP: _signed_at_signing_step,
    Guard.MAY_SIGN_LETTER: _may_sign_letter,
}
# Guards on what a person types, checked by the effect with its input; they never hide an action.
INPUT_GUARDS = {Guard.REASON_REQUIRED, Guard.ITEMS_FROM_CASE}


def refusal(c: Context, rule: Transition) -> Refusal | None:
    """Return why this person may not take this rule now, or None: who they are first, then each guard in order."""
    if not rule.actors & c.capacities:
        return Refusal(f"Bạn không có quyền «{ACTION_LABELS[rule.action]}» đối với hồ sơ này.", "not_permitted")
    for guard in rule.guards:
        if guard in INPUT_GUARDS:
            continue
        found = GUARDS[guard](c, rule)
        if found is not None:
            return Refusal(found.message, found.code, guard)
    return None


@dataclass(frozen=True)
class Offer:
    """One action of the table for the dossier's status, with the reason it is not available to this person now."""

    action: Action
    label: str
    refusal: str
    form: str
    needs_reason: bool
    code: str = ""  # the refusal's code: "not_permitted" when the person never could, "conflict" when not now

    @property
    def allowed(self) -> bool:
        return not self.refusal


# Creation has its own entry points; the calendar's recomputation and the records of a report or of an online
# payment are the system's own.
NOT_OFFERED = {Action.SUBMIT, Action.RECEIVE, Action.RECOMPUTE_DUE, Action.REPORT, Action.RECORD_PAYMENT}


def offers(c: Context, among: frozenset[Action] | None = None) -> list[Offer]:
    """Evaluate every action the table has for the dossier's status (or those `among` it), in table order."""
    status = Status(c.dossier.status)
    result = []
    for rule in TRANSITIONS:
        if (
            status not in rule.sources
            or rule.action in NOT_OFFERED
            or (among is not None and rule.action not in among)
        ):
            continue
        found = refusal(c, rule)
        result.append(
            Offer(
                rule.action,
                rule.label(),
                found.message if found else "",
                rule.form,
                Guard.REASON_REQUIRED in rule.guards,
                found.code if found else "",
            )
        )
    return result


def available_actions(
    dossier: Dossier, user: User, *, shared: Shared | None = None, among: frozenset[Action] | None = None
) -> list[Offer]:
    """Return what this person may do to the dossier now, and why each other action of its status is refused.

    A list that asks about one action (the signing list: sign-result) names it in `among`, so that the guards of the
    others (the register's answer for Forms 04 and 05, for one) are not run for every row.
    """
    return offers(context_for(dossier, user, shared=shared), among)


def allowed(offered: list[Offer]) -> set[Action]:
    """Return the actions of a list of offers that are available."""
    return {offer.action for offer in offered if offer.allowed}
