"""The scripted walk of validate_responses.py: every operation, each role, each error.

`run(client, admin_token)` drives a server that holds the demo data. Every
call names the status the walk expects; the client checks each answer
against the document as well. Operations the server does not have (see
`client.has`) are left out.
"""

import re
import urllib.request

NETWORK = {
    "id": "lapland",
    "name": {"fi": "Lappi", "sv": "Lappland", "en": "Lapland"},
    "region": "Lapland",
    "seat": "Rovaniemi",
    "steward": "Assistance System for Victims of Human Trafficking",
    "established_on": "2024-01-15",
}
MISSING_UUID = "0b3c2c8e-8f1d-4a57-9c2e-1f4b7d905f0c"


def member(email, sector="police"):
    return {"name": "Contract Member", "email": email, "phone": "+358 40 123 4567",
            "organisation": "Lapland Police Department", "sector": sector,
            "title": "Constable", "joined_on": "2024-02-01"}


def run(c, admin):
    public(c)
    c.call("POST", "/v1/networks", NETWORK, expect=201)
    tokens = token_walk(c)
    networks(c, tokens)
    ids = members(c, tokens)
    meeting_ids = meetings(c, tokens, ids)
    observation_id = observations_and_training(c, tokens, meeting_ids)
    corrections(c, tokens, ids, meeting_ids, observation_id)
    taxonomy(c, tokens)
    reads_of_history(c, tokens)
    generic_errors(c, tokens)
    people(c, tokens, ids)
    joining(c, tokens)
    wishes_and_national_findings(c, tokens)
    erasure(c, tokens, ids)


def public(c):
    for path in ("/livez", "/healthz", "/readyz", "/metrics"):
        c.call("GET", path, token=None, expect=200)
    c.call("POST", "/livez", token=None, expect=405)
    if c.has("GET", "/"):
        c.call("GET", "/", token=None, expect=200)
        c.call("GET", "/accessibility?lang=sv", token=None, expect=200)
        c.call("GET", "/assets/no-such-file.js", token=None, expect=404)
        page = urllib.request.urlopen(f"http://127.0.0.1:{c.port}/", timeout=30).read().decode()
        for asset in re.findall(r'"(/assets/[^"]+)"', page):
            c.call("GET", asset, token=None, expect=200)
        c.call("GET", "/v1/session", expect=200)
        c.call("GET", "/v1/session", token=None, expect=401)


def token_walk(c):
    t = {}
    for name, role, networks in (("c-coord", "coordinator", ["lapland"]), ("c-analyst", "analyst", None),
                                 ("c-auditor", "auditor", None), ("c-spare", "auditor", None)):
        body = {"name": name, "role": role}
        if networks:
            body["networks"] = networks
        _, answer, _ = c.call("POST", "/v1/tokens", body, expect=201)
        t[role if name != "c-spare" else "spare"] = answer
    c.call("POST", "/v1/tokens", {"name": "c-analyst", "role": "analyst"}, expect=409)
    c.call("POST", "/v1/tokens", {"name": "c-bad", "role": "root"}, expect=422)
    c.call("POST", "/v1/tokens", {"name": "c-bad", "role": "analyst", "colour": 1}, expect=422)
    c.call("POST", "/v1/tokens", {"name": "c-bad", "role": "analyst"}, token=t["coordinator"]["token"], expect=403)
    c.call("GET", "/v1/tokens?limit=2", expect=200)
    c.call("GET", "/v1/tokens", token=t["analyst"]["token"], expect=403)
    c.call("GET", "/v1/tokens", token=None, expect=401)
    c.call("DELETE", "/v1/tokens/" + t["spare"]["id"], expect=200)
    c.call("GET", "/v1/networks", token=t["spare"]["token"], expect=401)
    c.call("DELETE", "/v1/tokens/no-such-token", expect=404)
    c.call("PUT", "/v1/tokens", expect=405)
    token_lifecycle(c, t)
    return {role: answer["token"] for role, answer in t.items()}


def token_lifecycle(c, t):
    """Expiry and rotation (release 2)."""
    c.call("POST", "/v1/tokens", {"name": "c-expiring", "role": "analyst", "expires_at": "2999-01-01T00:00:00Z"},
           expect=201)
    c.call("POST", "/v1/tokens", {"name": "c-bad", "role": "analyst", "expires_at": "soon"}, expect=422)
    c.call("POST", "/v1/tokens", {"name": "c-bad", "role": "analyst", "expires_at": "2001-01-01T00:00:00Z"},
           expect=422)
    if not c.has("POST", "/v1/tokens/{id}/rotate"):
        return
    path = "/v1/tokens/" + t["analyst"]["id"] + "/rotate"
    _, rotated, _ = c.call("POST", path, {"grace_seconds": 600}, expect=200)
    t["analyst"]["token"] = rotated["token"]
    c.call("POST", path, expect=200)
    c.call("POST", path, {"grace_seconds": 86401}, expect=422)
    c.call("POST", path, token=t["auditor"]["token"], expect=403)
    c.call("POST", path, token=None, expect=401)
    c.call("POST", "/v1/tokens/no-such-token/rotate", expect=404)
    c.call("POST", "/v1/tokens/" + t["spare"]["id"] + "/rotate", expect=409)
    c.call("GET", path, expect=405)


def networks(c, t):
    c.call("POST", "/v1/networks", NETWORK, expect=409)
    c.call("POST", "/v1/networks", dict(NETWORK, id="lapland-2"), headers={"If-Match": '"5"'}, expect=412)
    c.call("POST", "/v1/networks", raw=b'{"id": "x",', expect=400)
    c.call("POST", "/v1/networks", raw=b'{"id": "x"}', content_type="text/plain", expect=415)
    c.call("POST", "/v1/networks", raw=b'{"region": "' + b"a" * (1100 * 1024) + b'"}', expect=413)
    c.call("POST", "/v1/networks", dict(NETWORK, id="lapland-3", established_on="2024-02-30"), expect=422)
    c.call("POST", "/v1/networks", dict(NETWORK, id="lapland-3", extra=True), expect=422)
    c.call("POST", "/v1/networks", dict(NETWORK, id="lapland-3"), token=t["coordinator"], expect=403)
    c.call("POST", "/v1/networks", dict(NETWORK, id="lapland-3"), token=None, expect=401)
    c.call("GET", "/v1/networks", expect=200)
    c.call("GET", "/v1/networks?limit=2", token=t["analyst"], expect=200)
    c.call("GET", "/v1/networks?limit=0", expect=422)
    c.call("GET", "/v1/networks", token="wrong", expect=401)
    c.call("GET", "/v1/networks/oulu", token=t["auditor"], expect=200)
    c.call("GET", "/v1/networks/lapland", token=t["coordinator"], expect=200)
    c.call("GET", "/v1/networks/nowhere", expect=404)
    c.call("GET", "/v1/networks/oulu?colour=red", expect=422)
    c.call("DELETE", "/v1/networks/oulu", expect=405)
    transfer = {"steward": "Pro-tukipiste", "effective_on": "2024-03-01"}
    c.call("POST", "/v1/networks/lapland/stewardship-transfers", transfer, expect=200)
    c.call("POST", "/v1/networks/lapland/stewardship-transfers", transfer, expect=200)  # no change
    c.call("POST", "/v1/networks/lapland/stewardship-transfers", {"steward": "RIKU", "effective_on": "2024-02-01"},
           expect=409)
    c.call("POST", "/v1/networks/nowhere/stewardship-transfers", transfer, expect=404)
    c.call("POST", "/v1/networks/lapland/stewardship-transfers", transfer, headers={"If-Match": '"1"'}, expect=412)
    c.call("POST", "/v1/networks/lapland/stewardship-transfers", {"steward": 5, "effective_on": "x"}, expect=422)
    c.call("POST", "/v1/networks/lapland/stewardship-transfers", transfer, token=t["coordinator"], expect=403)
    c.call("GET", "/v1/networks/lapland/stewardship-transfers", expect=405)


def members(c, t):
    _, a, _ = c.call("POST", "/v1/networks/lapland/members", member("c.one@example.org"), expect=201)
    _, b, _ = c.call("POST", "/v1/networks/lapland/members", member("c.two@example.org", "ngo"),
                     token=t["coordinator"], expect=201)
    c.call("POST", "/v1/networks/lapland/members", member("C.One@example.org"), expect=409)
    c.call("POST", "/v1/networks/oulu/members", member("c.three@example.org"), token=t["coordinator"], expect=403)
    c.call("POST", "/v1/networks/nowhere/members", member("c.four@example.org"), expect=404)
    c.call("POST", "/v1/networks/lapland/members", member("c.five@example.org", "polis"), expect=422)
    c.call("POST", "/v1/networks/lapland/members", member("c.five@example.org"), headers={"If-Match": '"1"'},
           expect=412)
    c.call("POST", "/v1/networks/lapland/members", member("c.five@example.org"), token=t["analyst"], expect=403)
    for who in ("analyst", "auditor", "coordinator"):
        c.call("GET", "/v1/networks/lapland/members", token=t[who], expect=200)
    c.call("GET", "/v1/networks/oulu/members?limit=2", expect=200)
    c.call("GET", "/v1/networks/lapland/members?sector=ngo&as_of=2024-06-01&include_former=true", expect=200)
    c.call("GET", "/v1/networks/lapland/members?known_at=2024-03-01T00:00:00Z", expect=200)
    c.call("GET", "/v1/networks/lapland/members?known_at=soon", expect=422)
    c.call("GET", "/v1/networks/nowhere/members", expect=404)
    c.call("PUT", "/v1/networks/lapland/members", expect=405)
    path = "/v1/networks/lapland/members/" + b["member_id"]
    c.call("DELETE", path, {"left_on": "2024-05-01", "reason": "moved"}, token=t["coordinator"], expect=200)
    c.call("DELETE", path, expect=409)
    c.call("DELETE", "/v1/networks/lapland/members/" + MISSING_UUID, expect=404)
    c.call("DELETE", "/v1/networks/lapland/members/" + a["member_id"] + "?left_on=2024-02-30", expect=422)
    c.call("DELETE", "/v1/networks/lapland/members/" + a["member_id"], token=t["auditor"], expect=403)
    c.call("GET", path, expect=405)
    return {"kept": a["member_id"], "left": b["member_id"]}


def meetings(c, t, ids):
    plan = {"scheduled_for": "2024-10-15", "format": "in_person", "location": "Rovaniemi",
            "agenda": ["Getting organised"], "joint_with": ["oulu"]}
    _, m, _ = c.call("POST", "/v1/networks/lapland/meetings", plan, token=t["coordinator"], expect=201)
    _, other, _ = c.call("POST", "/v1/networks/lapland/meetings", dict(plan, joint_with=[]), expect=201)
    c.call("POST", "/v1/networks/oulu/meetings", dict(plan, joint_with=[]), token=t["coordinator"], expect=403)
    c.call("POST", "/v1/networks/lapland/meetings", dict(plan, format="carrier_pigeon"), expect=422)
    c.call("POST", "/v1/networks/lapland/meetings", plan, headers={"If-Match": '"1"'}, expect=412)
    c.call("POST", "/v1/networks/nowhere/meetings", plan, expect=404)
    mid = "/v1/meetings/" + m["meeting_id"]
    c.call("POST", mid + "/reschedule", {"scheduled_for": "2024-10-22", "format": "hybrid"}, expect=200)
    c.call("POST", mid + "/reschedule", {"scheduled_for": "2024-10-32"}, expect=422)
    c.call("POST", mid + "/reschedule", {"scheduled_for": "2024-10-23"}, headers={"If-Match": '"9"'}, expect=412)
    c.call("POST", "/v1/meetings/" + MISSING_UUID + "/reschedule", {"scheduled_for": "2024-10-22"}, expect=404)
    c.call("POST", mid + "/record", {"held_on": "2024-10-22", "attendees": [ids["kept"]], "attendee_count": 9,
                                     "themes": ["forced_labour"], "notes": "Held."}, expect=200)
    c.call("POST", mid + "/record", {"held_on": "2024-10-22", "attendee_count": "nine"}, expect=422)
    c.call("POST", mid + "/cancel", {"reason": "late"}, expect=409)
    c.call("POST", mid + "/cancel", token=t["analyst"], expect=403)
    oid = "/v1/meetings/" + other["meeting_id"]
    c.call("POST", oid + "/cancel", token=t["coordinator"], expect=200)
    c.call("POST", oid + "/cancel", {"why": "x"}, expect=422)
    c.call("POST", "/v1/meetings/" + MISSING_UUID + "/cancel", expect=404)
    c.call("POST", "/v1/meetings/" + MISSING_UUID + "/record", {"held_on": "2024-10-22", "attendee_count": 1},
           expect=404)
    c.call("GET", mid + "/cancel", expect=405)
    c.call("GET", mid, token=t["analyst"], expect=200)
    c.call("GET", oid, expect=200)
    c.call("GET", "/v1/meetings/" + MISSING_UUID, expect=404)
    c.call("GET", "/v1/meetings", expect=200)
    c.call("GET", "/v1/meetings?network=oulu&from=2024-01-01&to=2024-12-31&status=held&format=in_person&limit=3",
           token=t["auditor"], expect=200)
    c.call("GET", "/v1/meetings?from=2024-12-01&to=2024-01-01", expect=422)
    c.call("GET", "/v1/meetings?status=postponed", expect=422)
    c.call("POST", "/v1/meetings", plan, expect=405)
    return {"held": m["meeting_id"], "cancelled": other["meeting_id"]}


def observations_and_training(c, t, meeting_ids):
    obs = {"theme": "forced_labour", "observed_on": "2024-04-16", "target_groups": ["Thai"],
           "meeting_id": meeting_ids["held"], "summary": "Seen."}
    _, recorded, _ = c.call("POST", "/v1/networks/lapland/observations", obs, token=t["coordinator"],
                            expect=200)
    c.call("POST", "/v1/networks/lapland/observations", dict(obs, theme="nope"), expect=422)
    c.call("POST", "/v1/networks/oulu/observations", obs, token=t["coordinator"], expect=403)
    c.call("POST", "/v1/networks/nowhere/observations", obs, expect=404)
    c.call("GET", "/v1/networks/lapland/observations?theme=forced_labour&from=2024-01-01&to=2024-12-31",
           token=t["analyst"], expect=200)
    c.call("GET", "/v1/networks/south-karelia/observations?limit=1", expect=200)
    c.call("GET", "/v1/networks/lapland/observations?from=2024-12-01&to=2024-01-01", expect=422)
    req = {"topic": "victim_identification", "requested_on": "2024-05-02", "notes": "All of us."}
    _, asked, _ = c.call("POST", "/v1/networks/lapland/training-requests", req, expect=200)
    c.call("POST", "/v1/networks/lapland/training-requests", dict(req, topic="juggling"), expect=422)
    c.call("POST", "/v1/networks/lapland/training-requests", req, token=t["auditor"], expect=403)
    done = {"topic": "trafficking_phenomenon", "delivered_on": "2024-09-10", "participants": 20}
    c.call("POST", "/v1/networks/lapland/trainings", done, token=t["coordinator"], expect=200)
    c.call("POST", "/v1/networks/lapland/trainings", dict(done, participants=-1), expect=422)
    c.call("POST", "/v1/networks/lapland/trainings", done, headers={"If-Match": '"2"'}, expect=412)
    c.call("GET", "/v1/networks/lapland/trainings", expect=405)
    if c.has("GET", "/v1/networks/{id}/training-requests"):
        request_id = (asked or {}).get("request_id", MISSING_UUID)
        c.call("POST", "/v1/networks/lapland/trainings", dict(done, request_id=request_id), expect=200)
        c.call("POST", "/v1/networks/lapland/trainings", dict(done, request_id=request_id), expect=409)
        c.call("POST", "/v1/networks/lapland/trainings", dict(done, request_id=MISSING_UUID), expect=422)
        c.call("POST", "/v1/networks/lapland/training-requests", req, expect=200)
        c.call("GET", "/v1/networks/lapland/training-requests", token=t["analyst"], expect=200)
        c.call("GET", "/v1/networks/lapland/training-requests?limit=1", token=t["coordinator"], expect=200)
        c.call("GET", "/v1/networks/nowhere/training-requests", expect=404)
        c.call("GET", "/v1/networks/lapland/training-requests?limit=0", expect=422)
    return (recorded or {}).get("observation_id", MISSING_UUID)


def corrections(c, t, ids, meeting_ids, observation_id):
    merge = "application/merge-patch+json"
    if c.has("PATCH", "/v1/networks/{id}"):
        patch = {"name": {"en": "Lapland region"}, "seat": "Kemi", "reason": "Agreed in May"}
        c.call("PATCH", "/v1/networks/lapland", patch, content_type=merge, expect=200)
        c.call("PATCH", "/v1/networks/lapland", patch, expect=200)  # no change, application/json
        c.call("PATCH", "/v1/networks/lapland", {"region": None}, content_type=merge, expect=422)
        c.call("PATCH", "/v1/networks/lapland", {"name": {"fi": ""}}, content_type=merge, expect=422)
        c.call("PATCH", "/v1/networks/lapland", {"colour": "red"}, content_type=merge, expect=422)
        c.call("PATCH", "/v1/networks/lapland", patch, content_type="text/plain", expect=415)
        c.call("PATCH", "/v1/networks/lapland", {"seat": "Tornio"}, headers={"If-Match": '"1"'},
               content_type=merge, expect=412)
        c.call("PATCH", "/v1/networks/nowhere", {"seat": "Tornio"}, content_type=merge, expect=404)
        c.call("PATCH", "/v1/networks/lapland", {"seat": "Tornio"}, token=t["coordinator"],
               content_type=merge, expect=403)
    if c.has("PATCH", "/v1/networks/{id}/members/{member_id}"):
        path = "/v1/networks/lapland/members/" + ids["kept"]
        c.call("PATCH", path, {"title": None, "phone": None, "organisation": "Lapland Police",
                               "reason": "New name"}, content_type=merge, token=t["coordinator"], expect=200)
        c.call("PATCH", path, {"organisation": "Lapland Police"}, content_type=merge, expect=200)  # no change
        c.call("PATCH", path, {"reason": "only a reason"}, content_type=merge, expect=422)
        c.call("PATCH", path, {"email": None}, content_type=merge, expect=422)
        c.call("PATCH", path, {"sector": "polis"}, content_type=merge, expect=422)
        c.call("PATCH", path, {"organisation": "X"}, headers={"If-Match": '"1"'}, content_type=merge,
               expect=412)
        c.call("PATCH", path, {"organisation": "X"}, token=t["analyst"], content_type=merge, expect=403)
        c.call("PATCH", "/v1/networks/lapland/members/" + MISSING_UUID, {"organisation": "X"},
               content_type=merge, expect=404)
        c.call("PATCH", "/v1/networks/lapland/members/" + ids["left"], {"organisation": "X"},
               content_type=merge, expect=409)
    if c.has("POST", "/v1/networks/{id}/observations/{observation_id}/retract"):
        path = "/v1/networks/lapland/observations/" + observation_id + "/retract"
        c.call("POST", path, {"reason": "Recorded twice"}, token=t["coordinator"], expect=200)
        c.call("POST", path, {"reason": "Again"}, expect=200)  # already retracted
        c.call("POST", path, {}, expect=422)
        c.call("POST", path, {"reason": "x"}, token=t["auditor"], expect=403)
        c.call("POST", "/v1/networks/lapland/observations/" + MISSING_UUID + "/retract", {"reason": "x"},
               expect=404)
        c.call("GET", path, expect=405)
        c.call("GET", "/v1/networks/lapland/observations", token=t["analyst"], expect=200)
    if c.has("POST", "/v1/meetings/{meeting_id}/amend"):
        path = "/v1/meetings/" + meeting_ids["held"] + "/amend"
        amend = {"held_on": "2024-10-23", "themes": ["forced_labour", "forced_marriage"], "reason": "Wrong day"}
        c.call("POST", path, amend, token=t["coordinator"], expect=200)
        c.call("POST", path, amend, expect=200)  # no change
        c.call("POST", path, {"held_on": "2024-10-23"}, expect=422)
        c.call("POST", path, dict(amend, themes=["alchemy"]), expect=422)
        c.call("POST", path, dict(amend, held_on="2024-10-24"), headers={"If-Match": '"1"'}, expect=412)
        c.call("POST", path, amend, token=t["analyst"], expect=403)
        c.call("POST", "/v1/meetings/" + meeting_ids["cancelled"] + "/amend", amend, expect=409)
        c.call("POST", "/v1/meetings/" + MISSING_UUID + "/amend", amend, expect=404)


def taxonomy(c, t):
    labels = {"fi": "Velkaorjuus", "sv": "Skuldslaveri", "en": "Debt bondage"}
    c.call("GET", "/v1/taxonomy", token=t["analyst"], expect=200)
    c.call("POST", "/v1/taxonomy/themes", {"code": "debt_bondage", "labels": labels}, expect=201)
    c.call("POST", "/v1/taxonomy/themes", {"code": "debt_bondage", "labels": labels}, expect=201)  # no change
    c.call("POST", "/v1/taxonomy/themes", {"code": "debt_bondage", "labels": dict(labels, en="Debt")}, expect=409)
    c.call("POST", "/v1/taxonomy/themes", {"code": "x", "labels": {"fi": "x"}}, expect=422)
    c.call("POST", "/v1/taxonomy/sectors", {"code": "health_care", "labels": labels}, expect=201)
    c.call("POST", "/v1/taxonomy/sectors", {"code": "other_sector", "labels": labels}, token=t["coordinator"],
           expect=403)
    c.call("GET", "/v1/taxonomy", expect=200)
    c.call("GET", "/v1/taxonomy/themes", expect=405)
    if c.has("POST", "/v1/taxonomy/target-groups"):
        c.call("POST", "/v1/taxonomy/themes", {"code": "wage_theft", "labels": labels, "family": "forced_labour"},
               expect=201)
        c.call("POST", "/v1/taxonomy/themes", {"code": "wage_theft2", "labels": labels, "family": "wage_theft"},
               expect=422)
        group = {"code": "vietnamese", "labels": {"fi": "vietnamilaiset", "sv": "vietnameser", "en": "Vietnamese"},
                 "aliases": ["vietnamilainen"]}
        c.call("POST", "/v1/taxonomy/target-groups", group, expect=201)
        c.call("POST", "/v1/taxonomy/target-groups", dict(group, code="viets"), expect=409)
        c.call("POST", "/v1/taxonomy/target-groups", dict(group, aliases=[""]), expect=422)
        c.call("POST", "/v1/taxonomy/target-groups", group, token=t["coordinator"], expect=403)
        topic = {"code": "labour_exploitation", "labels": labels}
        c.call("POST", "/v1/taxonomy/training-topics", topic, expect=201)
        c.call("POST", "/v1/taxonomy/training-topics", dict(topic, labels=dict(labels, en="x")), expect=409)
        c.call("POST", "/v1/taxonomy/training-topics", topic, token=t["analyst"], expect=403)
        c.call("GET", "/v1/taxonomy", expect=200)


def reads_of_history(c, t):
    if c.has("GET", "/v1/reports/trends"):
        c.call("GET", "/v1/reports/trends?from=2024-01-01&to=2024-12-31&granularity=quarter", token=t["analyst"],
               expect=200)
        c.call("GET", "/v1/reports/trends?network=oulu&theme=forced_labour", token=t["auditor"], expect=200)
        c.call("GET", "/v1/reports/trends?from=2024-01-01&to=2024-12-31", headers={"Accept": "text/csv"},
               expect=200)
        c.call("GET", "/v1/reports/trends?from=2024-12-01&to=2024-01-01", expect=422)
        c.call("GET", "/v1/reports/trends?granularity=week", expect=422)
        c.call("GET", "/v1/reports/trends", token=t["coordinator"], expect=403)
        c.call("GET", "/v1/reports/trends?network=all&known_at=2024-03-01T00:00:00Z", token=t["analyst"],
               expect=200)
        c.call("GET", "/v1/reports/trends?known_at=soon", token=t["analyst"], expect=422)
    if c.has("GET", "/v1/reports/coverage"):
        c.call("GET", "/v1/reports/coverage", token=t["analyst"], expect=200)
        c.call("GET", "/v1/reports/coverage?as_of=2024-06-01&known_at=2024-03-01T00:00:00Z", token=t["analyst"],
               expect=200)
        c.call("GET", "/v1/reports/coverage?known_at=soon", token=t["analyst"], expect=422)
        c.call("GET", "/v1/reports/coverage", token=t["coordinator"], expect=403)
    if c.has("GET", "/v1/events"):
        c.call("GET", "/v1/events?after=0&limit=50", token=t["analyst"], expect=200)
        c.call("GET", "/v1/events?type=MemberJoined&category=network", expect=200)
        c.call("GET", "/v1/events?after=-1", expect=422)
        c.call("GET", "/v1/events", token=t["coordinator"], expect=403)
    if c.has("GET", "/v1/streams/{stream}"):
        c.call("GET", "/v1/streams/network-lapland", token=t["auditor"], expect=200)
        c.call("GET", "/v1/streams/taxonomy?from_version=2", expect=200)
        c.call("GET", "/v1/streams/network-nowhere", expect=404)
        c.call("GET", "/v1/streams/network-lapland", token=t["analyst"], expect=403)
    if c.has("GET", "/v1/networks/{id}/history"):
        c.call("GET", "/v1/networks/lapland/history", token=t["auditor"], expect=200)
        c.call("GET", "/v1/networks/oulu/history?limit=5", expect=200)
        c.call("GET", "/v1/networks/nowhere/history", expect=404)
        c.call("GET", "/v1/networks/lapland/history", token=t["analyst"], expect=403)
    if c.has("GET", "/v1/audit"):
        c.call("GET", "/v1/audit?actor=c-coord&network=lapland", token=t["auditor"], expect=200)
        c.call("GET", "/v1/audit?from=2024-01-01T00:00:00Z&type=MemberJoined&limit=5", expect=200)
        c.call("GET", "/v1/audit?from=2030-01-01T00:00:00Z&to=2024-01-01T00:00:00Z", expect=422)
        c.call("GET", "/v1/audit", token=t["analyst"], expect=403)
    if c.has("GET", "/v1/audit/verify"):
        c.call("GET", "/v1/audit/verify", token=t["auditor"], expect=200)
        c.call("GET", "/v1/audit/verify", token=t["coordinator"], expect=403)
    if c.has("GET", "/v1/audit/access"):
        c.call("GET", "/v1/networks/lapland/members", token=t["coordinator"], expect=200)
        c.call("GET", "/v1/audit/access?limit=2", token=t["auditor"], expect=200)
        c.call("GET", "/v1/audit/access?network=lapland&actor=c-coord&from=2024-01-01T00:00:00Z", expect=200)
        c.call("GET", "/v1/audit/access?from=2030-01-01T00:00:00Z&to=2024-01-01T00:00:00Z", expect=422)
        c.call("GET", "/v1/audit/access?cursor=not-a-cursor", expect=422)
        c.call("GET", "/v1/audit/access?colour=red", expect=422)
        c.call("GET", "/v1/audit/access", token=t["analyst"], expect=403)
        c.call("GET", "/v1/audit/access", token=t["coordinator"], expect=403)
    if c.has("GET", "/v1/audit/export"):
        c.call("GET", "/v1/audit/export", token=t["auditor"], expect=200)
        c.call("GET", "/v1/audit/export?from=2&to=5", expect=200)
        c.call("GET", "/v1/audit/export?from=5&to=2", expect=422)
        c.call("GET", "/v1/audit/export", token=t["analyst"], expect=403)
    if c.has("GET", "/v1/audit/public-key"):
        c.call("GET", "/v1/audit/public-key", token=None, expect=200)
    if c.has("POST", "/v1/audit/checkpoints"):
        c.call("POST", "/v1/audit/checkpoints", token=t["auditor"], expect=200)
        c.call("POST", "/v1/audit/checkpoints", token=t["coordinator"], expect=403)
    if c.has("GET", "/v1/audit/checkpoints/latest"):
        c.call("GET", "/v1/audit/checkpoints/latest", token=t["auditor"], expect=200)
        c.call("GET", "/v1/audit/checkpoints/latest", token=t["analyst"], expect=403)
        c.call("GET", "/v1/audit/checkpoints/latest", token=None, expect=401)
    if c.has("POST", "/v1/admin/backups"):
        c.call("POST", "/v1/admin/backups", token=t["auditor"], expect=403)
        c.call("POST", "/v1/admin/backups")


def generic_errors(c, t):
    c.call("GET", "/v1/no-such-thing", expect=404)
    c.call("GET", "/no-such-thing", token=None, expect=404)
    c.call("GET", "/v1/networks", token=None, headers={"X-Request-Id": "contract-1"}, expect=401)


def people(c, t, ids):
    """Data-subject requests (release 2)."""
    if not c.has("GET", "/v1/people"):
        return
    c.call("GET", "/v1/people?email=C.ONE%40example.org", expect=200)
    c.call("GET", "/v1/people?email=nobody%40example.org", expect=200)
    c.call("GET", "/v1/people", expect=422)
    c.call("GET", "/v1/people?email=c.one%40example.org", token=t["auditor"], expect=403)
    c.call("GET", "/v1/people?email=c.one%40example.org", token=None, expect=401)
    c.call("POST", "/v1/people", expect=405)
    c.call("GET", "/v1/people/" + ids["kept"], expect=200)
    c.call("GET", "/v1/people/" + ids["left"], expect=200)
    c.call("GET", "/v1/people/" + MISSING_UUID, expect=404)
    c.call("GET", "/v1/people/" + ids["kept"], token=t["coordinator"], expect=403)


def wishes_and_national_findings(c, t):
    if c.has("POST", "/v1/networks/{id}/wishes"):
        wish = {"kind": "meeting_format", "text": "Remote meetings in winter", "recorded_on": "2024-11",
                "format": "remote"}
        c.call("POST", "/v1/networks/lapland/wishes", wish, token=t["coordinator"], expect=200)
        c.call("POST", "/v1/networks/lapland/wishes", {"kind": "other", "text": "More members",
                                                      "recorded_on": "2024-11-05"}, expect=200)
        c.call("POST", "/v1/networks/lapland/wishes", dict(wish, format=None), expect=422)
        c.call("POST", "/v1/networks/lapland/wishes", {"kind": "party", "text": "", "recorded_on": "x"},
               expect=422)
        c.call("POST", "/v1/networks/lapland/wishes", dict(wish, kind="training"), expect=422)
        c.call("POST", "/v1/networks/lapland/wishes", wish, token=t["analyst"], expect=403)
        c.call("POST", "/v1/networks/nowhere/wishes", wish, expect=404)
        c.call("POST", "/v1/networks/lapland/wishes", wish, headers={"If-Match": '"1"'}, expect=412)
        c.call("GET", "/v1/networks/lapland/wishes", token=t["analyst"], expect=200)
        c.call("GET", "/v1/networks/lapland/wishes?limit=1", token=t["coordinator"], expect=200)
        c.call("GET", "/v1/networks/nowhere/wishes", expect=404)
        c.call("GET", "/v1/networks/lapland/wishes?limit=0", expect=422)
        c.call("PUT", "/v1/networks/lapland/wishes", wish, expect=405)
    if c.has("POST", "/v1/observations"):
        finding = {"theme": "labour_exploitation", "observed_on": "2024-08", "target_groups": ["thaimaalaiset"],
                   "summary": "Berry pickers."}
        _, recorded, _ = c.call("POST", "/v1/observations", finding, expect=200)
        c.call("POST", "/v1/observations", dict(finding, theme="nope", observed_on="2024-13"), expect=422)
        c.call("POST", "/v1/observations", dict(finding, meeting_id=MISSING_UUID), expect=422)
        c.call("POST", "/v1/observations", finding, token=t["coordinator"], expect=403)
        c.call("GET", "/v1/observations?scope=national", token=t["auditor"], expect=200)
        c.call("GET", "/v1/observations?scope=national&theme=labour_exploitation&from=2024-01-01&to=2024-12-31&limit=1",
               token=t["coordinator"], expect=200)
        c.call("GET", "/v1/observations", token=t["analyst"], expect=200)  # scope national by default
        c.call("GET", "/v1/observations?scope=network", expect=422)
        observation_id = (recorded or {}).get("observation_id", MISSING_UUID)
        path = "/v1/observations/" + observation_id + "/retract"
        c.call("POST", path, {"reason": "x"}, token=t["coordinator"], expect=403)
        c.call("POST", path, {"reason": "Recorded twice"}, expect=200)
        c.call("POST", path, {"reason": "Again"}, expect=200)  # already retracted
        c.call("POST", path, {}, expect=422)
        c.call("POST", "/v1/observations/" + MISSING_UUID + "/retract", {"reason": "x"}, expect=404)
        c.call("GET", path, expect=405)


def join_request(email):
    return {"network": "lapland", "name": "Contract Joiner", "email": email, "phone": "+358 40 765 4321",
            "organisation": "Lapin hyvinvointialue", "sector": "wellbeing_services_county",
            "title": "Social worker", "message": "I meet victims in my work."}


def joining(c, t):
    """The public directory and join requests (release 2): 5 requests an hour per address."""
    if not c.has("POST", "/v1/join-requests"):
        return
    c.call("GET", "/v1/directory", token=None, expect=200)
    c.call("GET", "/v1/directory?x=1", token=None, expect=422)
    c.call("DELETE", "/v1/directory", token=None, expect=405)
    _, first, _ = c.call("POST", "/v1/join-requests", join_request("j.one@example.org"), token=None, expect=202)
    _, second, _ = c.call("POST", "/v1/join-requests", join_request("j.two@example.org"), token=None, expect=202)
    c.call("POST", "/v1/join-requests", {"network": "lapland"}, token=None, expect=422)
    c.call("POST", "/v1/join-requests", dict(join_request("j.3@example.org"), network="nowhere"), token=None,
           expect=422)
    c.call("POST", "/v1/join-requests", raw=b'{"network": "x"}', content_type="text/plain", token=None, expect=415)
    c.call("POST", "/v1/join-requests", join_request("j.four@example.org"), token=None, expect=429)
    listing = "/v1/networks/lapland/join-requests"
    c.call("GET", listing, expect=200)
    c.call("GET", listing + "?status=pending&limit=1", token=t["coordinator"], expect=200)
    c.call("GET", listing + "?status=maybe", expect=422)
    c.call("GET", listing, token=t["analyst"], expect=403)
    c.call("GET", listing, token=None, expect=401)
    c.call("GET", "/v1/networks/oulu/join-requests", token=t["coordinator"], expect=403)
    c.call("GET", "/v1/networks/nowhere/join-requests", expect=404)
    approve = "/v1/join-requests/" + first["id"] + "/approve"
    decline = "/v1/join-requests/" + second["id"] + "/decline"
    c.call("POST", approve, {"joined_on": "2024-02-30"}, token=t["coordinator"], expect=422)
    c.call("POST", approve, token=t["analyst"], expect=403)
    c.call("POST", approve, {"joined_on": "2024-06-03"}, token=t["coordinator"], expect=200)
    c.call("POST", approve, expect=409)
    c.call("POST", decline, {"reason": "Not in the region"}, expect=200)
    c.call("POST", decline, expect=409)
    c.call("POST", "/v1/join-requests/" + MISSING_UUID + "/decline", expect=404)
    c.call("GET", decline, expect=405)


def erasure(c, t, ids):
    path = "/v1/people/" + ids["kept"] + "/personal-data"
    c.call("DELETE", path, token=t["coordinator"], expect=403)
    c.call("DELETE", path + "?colour=1", {"colour": "red"}, expect=422)
    c.call("DELETE", path, {"reason": "data-subject request", "request_ref": "DSR-1"}, expect=200)
    c.call("DELETE", "/v1/people/" + ids["left"] + "/personal-data?request_ref=DSR-2", expect=200)
    c.call("GET", "/v1/people/" + ids["kept"], expect=200)
    c.call("GET", "/v1/networks/lapland/members?include_former=true", expect=200)
    c.call("DELETE", "/v1/people/" + MISSING_UUID + "/personal-data", expect=404)
    c.call("GET", path, expect=405)
