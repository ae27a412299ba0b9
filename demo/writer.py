"""Saves the drafts in bulk, with a history row for every object (`bulk_create_with_history`)
and the search text that `save()` would have set, and the status history of the schemes in
approved plans (demo.timeline). The ledgers were built to keep the money chain; nothing here
changes an amount."""

import contextlib
import datetime
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from budgets.models import Allocation, AnnualPlan, Contract, Disbursement, PlanBatch
from demo.activities import ACTIVITIES
from demo.progress import progress_reports
from demo.schemes import Draft, area_number, content_list
from demo.timeline import status_steps
from demo.world import World
from demo.years import PlanSpec
from establishments.models import Establishment
from organisations.models import Organisation
from projects.models import Scheme, SchemeStatusChange
from provinces.models import ProvinceMap
from submissions.models import ProgressReport

BATCH_SIZE = 500
# The demo users who decide, record or report (demo.users).
DEMO_USERS = ("bo", "pheduyet", "ipc1", "tinh-19", "tinh-01")
ENTRY_NOTES = {
    "advance": "Tạm ứng kinh phí khuyến công",
    "payment": "Thanh toán sau nghiệm thu",
    "late": "Thanh toán trong thời gian chỉnh lý quyết toán",
    "refund": "Thu hồi tạm ứng không sử dụng hết",
}


def vnd(millions: int) -> Decimal:
    return Decimal(millions) * 1_000_000


def _bulk(objs: list, model) -> list:
    for obj in objs:
        if hasattr(obj, "refresh_search_text"):
            obj.refresh_search_text()
    saved = bulk_create_with_history(objs, model, batch_size=BATCH_SIZE)
    if any(obj.pk is None for obj in objs):  # every supported database returns the new keys
        raise RuntimeError(f"{model.__name__}: bulk_create did not return primary keys")
    return saved


def _agency_code(year: int) -> str:
    """The agency's initials on its decisions (Cục Công nghiệp địa phương until 2017, Cục Công
    Thương địa phương until 2025, then Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công)."""
    if year <= 2017:
        return "CNĐP"
    return "CTĐP" if year <= 2024 else "ĐMST"


def manager(world: World, spec: PlanSpec) -> Organisation:
    if spec.manager == "agency":
        return world.agency
    if spec.manager == "ipc1":
        return world.ipc1
    return world.department(world.province(ProvinceMap.NEW_34, spec.manager))


def plan_title(world: World, spec: PlanSpec) -> str:
    if spec.manager == "agency":
        return f"Kế hoạch khuyến công quốc gia năm {spec.year}"
    if spec.manager == "ipc1":
        return f"Kế hoạch khuyến công quốc gia năm {spec.year} giao {world.ipc1.name}"
    province = world.province(ProvinceMap.NEW_34, spec.manager)
    return f"Kế hoạch khuyến công địa phương năm {spec.year} – {province.name}"


def write(
    world: World,
    built: list[tuple[PlanSpec, list[Draft]]],
    workflow: list[Draft],
    establishments: list[Establishment],
    today: datetime.date,
) -> dict[str, int]:
    _bulk(establishments, Establishment)

    plans = {
        spec: AnnualPlan(
            year=spec.year,
            fund=spec.fund,
            managing_unit=manager(world, spec),
            title=plan_title(world, spec),
        )
        for spec, _drafts in built
    }
    _bulk(list(plans.values()), AnnualPlan)
    batches = {}
    for spec, drafts in built:
        for index, batch in enumerate(spec.batches):
            amount = sum(d.amount for d in drafts if d.batch == index)
            batches[(spec, index)] = PlanBatch(
                plan=plans[spec],
                number=index + 1,
                decision_number=batch.decision_number,
                decision_date=batch.decision_date,
                amount=vnd(amount),
            )
    _bulk(list(batches.values()), PlanBatch)

    every = [d for _spec, drafts in built for d in drafts] + workflow
    schemes = {draft: _scheme(world, draft) for draft in every}
    _bulk(list(schemes.values()), Scheme)
    _links(world, schemes)

    allocations = {
        draft: Allocation(
            plan=plans[spec],
            batch=batches[(spec, draft.batch)],
            scheme=schemes[draft],
            amount=vnd(draft.amount),
        )
        for spec, drafts in built
        for draft in drafts
    }
    _bulk(list(allocations.values()), Allocation)

    contracts, entries = {}, []
    for spec, drafts in built:
        serial = {"contract": 0, "task": 0, "voucher": 0}
        for draft in sorted(drafts, key=lambda d: (d.ledger.signed_on or d.ledger.sign_to, d.code)):
            ledger = draft.ledger
            if ledger.signed_on is None:
                continue
            task = spec.fund == "local" or draft.unit.kind == Organisation.Kind.REGIONAL_CENTRE
            kind = Contract.Kind.TASK if task else Contract.Kind.CONTRACT
            serial[kind] += 1
            if kind == Contract.Kind.CONTRACT:
                number = f"{serial[kind]:03d}/{spec.year}/HĐ-KCQG"
            elif spec.fund == "local":
                number = f"{serial[kind]:03d}/QĐ-SCT"
            else:
                number = f"{serial[kind]:03d}/QĐ-{_agency_code(spec.year)}"
            contract = Contract(
                allocation=allocations[draft],
                kind=kind,
                number=number,
                signed_on=ledger.signed_on,
                value=vnd(ledger.value),
                contractor=draft.unit,
            )
            contracts[draft] = contract
            for entry in ledger.entries:
                serial["voucher"] += 1
                prefix = "GNT" if entry.kind == "refund" else "UNC"
                late = entry.kind == "payment" and entry.paid_on.year > spec.year
                entries.append(
                    Disbursement(
                        contract=contract,
                        kind=entry.kind,
                        paid_on=entry.paid_on,
                        amount=vnd(entry.amount),
                        voucher_number=f"{prefix}-{spec.year}-{serial['voucher']:05d}",
                        note=ENTRY_NOTES["late" if late else entry.kind],
                    )
                )
    _bulk(list(contracts.values()), Contract)
    for entry in entries:
        entry.contract_id = entry.contract.pk
    _bulk(entries, Disbursement)
    changes, reports = _status_changes(world, built, schemes, batches, today)
    return {
        "establishments": len(establishments),
        "plans": len(plans),
        "batches": len(batches),
        "schemes": len(schemes),
        "allocations": len(allocations),
        "contracts": len(contracts),
        "disbursements": len(entries),
        "status_changes": changes,
        "progress_reports": reports,
    }


def _scheme(world: World, draft: Draft) -> Scheme:
    spec = draft.spec
    return Scheme(
        code=draft.code,
        plan_year=spec.year,
        fund=spec.fund,
        kind=draft.kind,
        title=draft.title,
        sector=world.sectors[draft.sector],
        province=draft.province,
        implementing_unit=draft.unit,
        start_date=draft.start,
        end_date=draft.end,
        support_requested=vnd(draft.requested),
        counterpart_funding=vnd(draft.counterpart),
        status=draft.status,
        description=draft.description,
    )


def _links(world: World, schemes: dict[Draft, Scheme]) -> None:
    areas, units, beneficiaries = [], [], []
    Areas = Scheme.content_areas.through
    Units = Scheme.coordinating_units.through
    Beneficiaries = Scheme.beneficiaries.through
    for draft, scheme in schemes.items():
        year, listed = draft.spec.year, content_list(draft.spec.year)
        numbers = sorted({area_number(ACTIVITIES[key], year) for key in draft.activities})
        for number in numbers:
            area = world.areas[f"{listed}-{number}"]
            areas.append(Areas(scheme_id=scheme.pk, contentarea_id=area.pk))
        for unit in draft.coordinating:
            units.append(Units(scheme_id=scheme.pk, organisation_id=unit.pk))
        for establishment in dict.fromkeys(draft.beneficiaries):
            beneficiaries.append(
                Beneficiaries(scheme_id=scheme.pk, establishment_id=establishment.pk)
            )
    Areas.objects.bulk_create(areas, batch_size=BATCH_SIZE)
    Units.objects.bulk_create(units, batch_size=BATCH_SIZE)
    Beneficiaries.objects.bulk_create(beneficiaries, batch_size=BATCH_SIZE)


@contextlib.contextmanager
def _dated_as_given(model, name: str):
    """Let bulk_create keep the times given to an `auto_now_add` field (history dated in the
    past), and restore the field afterwards."""
    field = model._meta.get_field(name)
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def _reporter(world: World, draft: Draft, users: dict) -> User:
    """Who enters the scheme's progress reports: the preparing unit's demo user, else the
    ministry's (demo.progress)."""
    if draft.unit == world.ipc1:
        return users["ipc1"]
    unit = draft.province.successor or draft.province
    return users.get(f"tinh-{unit.code}", users["bo"])


def _status_changes(
    world: World, built, schemes: dict, batches: dict, today: datetime.date
) -> tuple[int, int]:
    """One SchemeStatusChange per step of each approved scheme's life (demo.timeline), made by
    the demo users who decide or record it, and the monthly progress reports due while it was
    under way (demo.progress); none when those users are missing. (changes, reports)"""
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERS)}
    if len(users) < len(DEMO_USERS):
        return 0, 0
    zone = timezone.get_current_timezone()
    rows, reports = [], []
    for spec, drafts in built:
        for draft in drafts:
            batch = batches[(spec, draft.batch)]
            steps = status_steps(
                draft.ledger,
                draft.status,
                batch.decision_date,
                batch.decision_number,
                spec.year,
                today,
            )
            for report in progress_reports(
                draft.code, draft.ledger, steps, draft.start, draft.end, today
            ):
                reports.append(
                    ProgressReport(
                        scheme=schemes[draft],
                        period_year=report.period.year,
                        period_month=report.period.month,
                        due_on=report.period.due_on,
                        submitted_on=report.submitted_on,
                        work_done=report.work_done,
                        percent_complete=report.percent_complete,
                        amount_spent=vnd(report.spent),
                        reported_by=_reporter(world, draft, users),
                    )
                )
            for order, step in enumerate(steps):
                at = datetime.datetime.combine(step.on, datetime.time(9, order), tzinfo=zone)
                rows.append(
                    SchemeStatusChange(
                        scheme=schemes[draft],
                        from_status=step.from_status,
                        to_status=step.to_status,
                        by=users[step.username],
                        at=at,
                        decision_number=step.decision_number,
                    )
                )
    with _dated_as_given(SchemeStatusChange, "at"):
        SchemeStatusChange.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    _bulk(reports, ProgressReport)
    return len(rows), len(reports)
