"""Two organisations in one store (#13): an account of organisation B, whatever its role, is refused every service
call on organisation A's plan, rounds, scores, findings and accounts that README's table lets that role make at
home — the same calls as tests/test_permissions.py, made across the border. Published data stays readable."""

import pytest
from sqlmodel import Session, select

from acplan.errors import NotAllowed, NotFound
from acplan.monitoring import orgs, plans, users
from acplan.monitoring.models import AppUser
from acplan.plan import workbook as plan_workbook
from tests import test_permissions as perm
from tests.factories import OPERATOR, as_actor
from tests.test_plan_workbook import EXAMPLE

ACCOUNT_ROLES = ("admin", "secretary", "committee", "council", "unit")


@pytest.fixture(scope="module")
def store(tmp_path_factory, template_root):
    """test_permissions' store (organisation A with rounds in every state) plus organisation B with its own plan
    and one account per role."""
    engine = perm.make_store(tmp_path_factory.mktemp("isolation"), template_root)
    with Session(engine) as s:
        org = orgs.add_org(session=s, actor=OPERATOR, code="sao-example", org_in=orgs.parse_org(
            {"name_th": "อบต.ตัวอย่าง", "org_type": "sao", "province_th": "จังหวัดตัวอย่าง"}))
        book = plan_workbook.read(EXAMPLE.read_bytes())
        plans.import_plan(session=s, actor=OPERATOR, org_code=org.code, data=book.data, sha256="x")
        for role in ACCOUNT_ROLES:
            users.add_user(session=s, actor=OPERATOR, username=f"b-{role}", display_name=f"บี {role}", role=role,
                           password="a-long-password-for-b-1", organisation_id=org.id)
        s.commit()
    yield engine
    engine.dispose()


def _b(session: Session, role: str):
    return as_actor(session.exec(select(AppUser).where(AppUser.username == f"b-{role}")).one())


# Calls that are not about organisation A: made at home they succeed (an admin adds an account to B; listing
# accounts lists B's), checked below instead.
AT_HOME = {("manage_users", 0), ("manage_users", 1), ("edit_plan", 0)}
CASES = [(p, role, i) for p in perm.TABLE if p not in ("read_published", "manage_orgs") for role in ACCOUNT_ROLES
         if perm.TABLE[p][role] for i in range(len(perm.CALLS[p])) if (p, i) not in AT_HOME]


def test_every_permission_a_role_holds_is_tried_across_the_border():
    assert {p for p, _r, _i in CASES} == {p for p in perm.TABLE if any(perm.TABLE[p][r] for r in ACCOUNT_ROLES)} - \
        {"read_published", "manage_orgs", "edit_plan"}


@pytest.mark.parametrize(("permission", "role", "call"), CASES, ids=[f"{p}-{r}-{i}" for p, r, i in CASES])
def test_an_account_of_b_is_refused_on_a(store, permission, role, call):
    with Session(store) as s:
        with pytest.raises((NotAllowed, NotFound)):
            perm.CALLS[permission][call](s, _b(s, role))
        s.rollback()


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
def test_published_rounds_of_a_stay_readable_and_only_those(store, role):
    from acplan.monitoring import evaluation
    from tests.factories import plan_id

    with Session(store) as s:
        for call in perm.CALLS["read_published"]:
            call(s, _b(s, role))
        seen = [r.code for r in evaluation.list_visible_rounds(session=s, actor=_b(s, role), plan_id=plan_id(s))]
        assert seen == ["2567-1"]
        s.rollback()


def test_an_administrator_of_b_sees_and_adds_accounts_of_b_only(store):
    with Session(store) as s:
        admin = _b(s, "admin")
        names = {u.username for u in users.list_users(session=s, actor=admin)}
        assert names == {f"b-{r}" for r in ACCOUNT_ROLES}
        added = users.add_user(session=s, actor=admin, username="b-new", display_name="ใหม่", role="council",
                               password="a-long-password-for-b-2")
        assert added.organisation_id == s.get(AppUser, admin.user_id).organisation_id
        with pytest.raises(NotFound):
            users.set_role(session=s, actor=admin, username="council", role="secretary")
        s.rollback()


def test_an_administrator_of_b_cannot_replace_the_plan_of_a(store):
    with Session(store) as s:
        book = plan_workbook.read(EXAMPLE.read_bytes())
        with pytest.raises(NotAllowed):
            plans.import_plan(session=s, actor=_b(s, "admin"), org_code="tt-chiang-muan", data=book.data,
                              sha256="x", replace=True)
        s.rollback()


def test_an_account_without_organisation_is_refused_once_there_are_several(store):
    with Session(store) as s:
        legacy = s.exec(select(AppUser).where(AppUser.username == "council")).one()
        legacy.organisation_id = None
        s.add(legacy)
        s.flush()
        with pytest.raises(NotAllowed):
            perm.CALLS["read_unpublished"][2](s, as_actor(legacy))
        s.rollback()


def _oversight(s: Session, username: str, province: str) -> AppUser:
    return users.add_user(session=s, actor=OPERATOR, username=username, display_name=f"สำนักงาน {username}",
                          role="oversight", password=f"{username}-password-for-oversight-1",
                          oversight_province_th=province)


def test_an_oversight_account_reads_unpublished_rounds_of_its_province_only(store):
    from acplan.monitoring import rounds
    from tests.factories import plan_id

    with Session(store) as s:
        every = as_actor(_oversight(s, "ov-national", ""))
        province = as_actor(_oversight(s, "ov-sample", "จังหวัดตัวอย่าง"))
        assert {r.status for r in rounds.list_rounds(session=s, actor=every, plan_id=plan_id(s))} > {"published"}
        with pytest.raises(NotAllowed):  # เชียงม่วน is not in จังหวัดตัวอย่าง
            rounds.list_rounds(session=s, actor=province, plan_id=plan_id(s))
        orgs.set_org(session=s, actor=OPERATOR, code="tt-chiang-muan",
                     org_in=orgs.parse_org({"province_th": "จังหวัดตัวอย่าง"}))
        assert rounds.list_rounds(session=s, actor=province, plan_id=plan_id(s))
        for permission in ("manage_rounds", "manage_findings", "record_yearly_results", "manage_users"):
            with pytest.raises(NotAllowed):  # and writes nothing, anywhere
                perm.CALLS[permission][0](s, every)
        s.rollback()


def test_only_the_operator_creates_an_oversight_account_and_it_keeps_its_role(store):
    from acplan.errors import InvalidInput

    with Session(store) as s:
        with pytest.raises(NotAllowed):
            users.add_user(session=s, actor=_b(s, "admin"), username="ov-by-admin", display_name="x", role="oversight",
                           password="a-long-password-for-ov-1")
        ov = _oversight(s, "ov-fixed", "")
        assert ov.organisation_id is None
        with pytest.raises(InvalidInput):
            users.set_role(session=s, actor=OPERATOR, username="ov-fixed", role="admin")
        s.rollback()


def test_the_command_line_adds_an_oversight_account_for_a_province(cli, loaded_engine):
    env = {"ACPLAN_DATABASE_URL": str(loaded_engine.url)}
    code, out, err = cli("user", "add", "phayao-office", "--role", "oversight", "--province", "พะเยา",
                         "--name", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดพะเยา", "--password-stdin",
                         stdin="a-long-password-for-phayao-1\n", env=env)
    assert code == 0, err
    with Session(loaded_engine) as s:
        account = s.exec(select(AppUser).where(AppUser.username == "phayao-office")).one()
    assert (account.role, account.oversight_province_th, account.organisation_id) == ("oversight", "พะเยา", None)
