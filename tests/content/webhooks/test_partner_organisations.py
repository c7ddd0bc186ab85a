"""A partner organisation's token (content.partners) subscribes: it hears only of its own collections."""

from __future__ import annotations

from content.partners.models import PartnerCreate
from content.partners.service import create_partner, create_partner_token
from content.principal import SYSTEM
from content.security.authentication import authenticate
from schema.core.ids import to_global_id
from tests.content.webhooks.conftest import School


def test_a_partner_organisation_hears_of_its_collections_only(school: School) -> None:
    partner = create_partner(
        PartnerCreate(name="Bradford School", collection_uids=[school.york]), session=school.session, principal=SYSTEM
    )
    token, _ = create_partner_token(partner.uid, "mirror", session=school.session, principal=SYSTEM)
    principal = authenticate(token, session=school.session, secret=school.runtime.settings.secret())
    _, sub = school.subscribe(principal, "https://bradford.example/hook", ["CASE_VALIDATED"])
    assert sub.partner_uid == partner.uid and sub.owner_uid == partner.account_uid

    school.case("Leeds case")
    york_case = school.case("York case", coll=school.york)
    assert [d.payload["data"]["case"] for d in school.deliveries(sub)] == [to_global_id("Case", york_case.uid)]
