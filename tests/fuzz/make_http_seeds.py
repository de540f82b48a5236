#!/usr/bin/python3
"""Writes the seed corpus of fuzz_http_request: requests of API.md, alone and
pipelined on one connection, with the placeholders the target replaces
($ADMIN, $ANALYST, $AUDITOR, $COORD, $REVOKED, $MEMBER, $MEETING, $TOKEN).

Usage: make_http_seeds.py <corpus-dir>
"""
import hashlib
import json
import os
import sys


def request(method, target, token="$ADMIN", body=None, headers=(), raw_body=None,
            content_type="application/json", close=False):
    lines = [f"{method} {target} HTTP/1.1", "Host: localhost"]
    if token is not None:
        lines.append(f"Authorization: Bearer {token}")
    lines.extend(headers)
    payload = b""
    if raw_body is not None:
        payload = raw_body.encode() if isinstance(raw_body, str) else raw_body
    elif body is not None:
        payload = json.dumps(body, ensure_ascii=False).encode()
    if payload or method in ("POST", "DELETE") and body is not None:
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(payload)}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


NETWORK = {"id": "lapland", "name": {"fi": "Lappi", "sv": "Lappland", "en": "Lapland"},
           "region": "Lapland", "seat": "Rovaniemi", "steward": "Victim Support Finland",
           "established_on": "2020-03-01"}
MEMBER = {"name": "Matti Meikäläinen", "email": "matti@example.fi", "phone": "+358 40 123 4567",
          "organisation": "Kela", "sector": "kela", "title": "Erityisasiantuntija",
          "joined_on": "2024-05-02"}
MEETING = {"scheduled_for": "2024-11-20", "format": "hybrid", "location": "Oulu",
           "agenda": ["Ajankohtaiset", "Tapaukset"], "joint_with": ["turku"]}
OBSERVATION = {"theme": "forced_labour", "observed_on": "2024-05-14",
               "target_groups": ["Thai", "Ukrainian"], "meeting_id": "$MEETING",
               "summary": "Berry pickers."}


def seeds():
    s = {}
    s["establish-network"] = request("POST", "/v1/networks", body=NETWORK)
    s["establish-network-analyst-403"] = request("POST", "/v1/networks", "$ANALYST", NETWORK)
    s["establish-network-bad-date"] = request("POST", "/v1/networks",
                                              body=dict(NETWORK, established_on="2024-02-30"))
    s["establish-network-unknown-field"] = request("POST", "/v1/networks", body=dict(NETWORK, x=1))
    s["transfer-stewardship"] = request("POST", "/v1/networks/oulu/stewardship-transfers",
                                        body={"steward": "Pro-tukipiste", "effective_on": "2024-06-01"},
                                        headers=['If-Match: "3"'])
    s["join-member"] = request("POST", "/v1/networks/oulu/members", body=MEMBER,
                               headers=["Idempotency-Key: join-1"])
    s["join-member-coordinator"] = request("POST", "/v1/networks/oulu/members", "$COORD", MEMBER)
    s["join-member-coordinator-other-network"] = request("POST", "/v1/networks/turku/members",
                                                         "$COORD", MEMBER)
    s["join-member-wrong-types"] = request("POST", "/v1/networks/oulu/members",
                                           body=dict(MEMBER, name=7, joined_on=None, sector=["x"]))
    s["leave-member"] = request("DELETE", "/v1/networks/oulu/members/$MEMBER",
                                body={"left_on": "2024-09-30", "reason": "new job"})
    s["leave-member-query"] = request("DELETE",
                                      "/v1/networks/oulu/members/$MEMBER?left_on=2024-09-30&reason=x")
    s["schedule-meeting"] = request("POST", "/v1/networks/oulu/meetings", body=MEETING,
                                    headers=["Idempotency-Key: m-1", 'If-Match: "3"'])
    s["reschedule-meeting"] = request("POST", "/v1/meetings/$MEETING/reschedule",
                                      body={"scheduled_for": "2024-12-01", "format": "remote",
                                            "location": "Teams"})
    s["cancel-meeting"] = request("POST", "/v1/meetings/$MEETING/cancel", body={"reason": "illness"})
    s["record-meeting"] = request("POST", "/v1/meetings/$MEETING/record",
                                  body={"held_on": "2024-05-20", "attendees": ["$MEMBER"],
                                        "attendee_count": 14, "themes": ["forced_labour"],
                                        "notes": "Good turnout"})
    s["observation"] = request("POST", "/v1/networks/oulu/observations", body=OBSERVATION)
    s["training-request"] = request("POST", "/v1/networks/oulu/training-requests",
                                    body={"topic": "victim_identification",
                                          "requested_on": "2024-05-02", "notes": "autumn"})
    s["training-delivered"] = request("POST", "/v1/networks/oulu/trainings",
                                      body={"topic": "victim_identification",
                                            "delivered_on": "2024-09-10", "participants": 23})
    s["taxonomy-theme"] = request("POST", "/v1/taxonomy/themes",
                                  body={"code": "debt_bondage", "labels": {
                                      "fi": "Velkaorjuus", "sv": "Skuldslaveri", "en": "Debt bondage"}})
    s["taxonomy-theme-family"] = request("POST", "/v1/taxonomy/themes",
                                         body={"code": "wage_theft", "family": "forced_labour", "labels": {
                                             "fi": "Palkkavarkaus", "sv": "Lönestöld", "en": "Wage theft"}})
    s["taxonomy-target-group"] = request("POST", "/v1/taxonomy/target-groups",
                                         body={"code": "vietnamese", "aliases": ["vietnamilainen"], "labels": {
                                             "fi": "vietnamilaiset", "sv": "vietnameser", "en": "Vietnamese"}})
    s["taxonomy-training-topic"] = request("POST", "/v1/taxonomy/training-topics",
                                           body={"code": "labour_exploitation", "labels": {
                                               "fi": "Työperäinen hyväksikäyttö", "sv": "Arbetsrelaterat utnyttjande",
                                               "en": "Labour exploitation"}})
    s["get-training-requests"] = request("GET", "/v1/networks/oulu/training-requests?limit=2", token="$ANALYST")
    s["record-wish"] = request("POST", "/v1/networks/oulu/wishes", "$COORD",
                               body={"kind": "meeting_format", "text": "Remote meetings in winter",
                                     "recorded_on": "2024-11", "format": "remote"},
                               headers=["Idempotency-Key: w-1"])
    s["get-wishes"] = request("GET", "/v1/networks/oulu/wishes?limit=2", token="$ANALYST")
    s["national-finding"] = request("POST", "/v1/observations",
                                    body={"theme": "labour_exploitation", "observed_on": "2024-08",
                                          "target_groups": ["thaimaalaiset"], "summary": "Berry pickers"})
    s["get-national-findings"] = request("GET", "/v1/observations?scope=national&theme=forced_labour",
                                         token="$ANALYST")
    s["retract-national-finding"] = request("POST", "/v1/observations/"
                                            "0b3c2c8e-8f1d-4a57-9c2e-1f4b7d905f0c/retract",
                                            body={"reason": "recorded twice"})
    s["taxonomy-sector"] = request("POST", "/v1/taxonomy/sectors",
                                   body={"code": "health_care", "labels": {
                                       "fi": "Terveydenhuolto", "sv": "Hälsovård", "en": "Health care"}})
    s["issue-token"] = request("POST", "/v1/tokens",
                               body={"name": "oulu-app", "role": "coordinator", "networks": ["oulu"]},
                               headers=["Idempotency-Key: tok-1"])
    s["revoke-token"] = request("DELETE", "/v1/tokens/$TOKEN")
    s["erase-person"] = request("DELETE", "/v1/people/$MEMBER/personal-data")
    s["erase-person-reason"] = request("DELETE", "/v1/people/$MEMBER/personal-data?request_ref=DSR-1",
                                      body={"reason": "data-subject request"})
    s["issue-token-expiring"] = request("POST", "/v1/tokens",
                                        body={"name": "short", "role": "analyst",
                                              "expires_at": "2030-01-01T00:00:00Z"})
    s["rotate-token"] = request("POST", "/v1/tokens/$TOKEN/rotate", body={"grace_seconds": 60})
    s["backup"] = request("POST", "/v1/admin/backups")
    # Corrections: merge patches (null clears phone and title), a retraction, an amendment.
    s["patch-network"] = request("PATCH", "/v1/networks/oulu", body={"name": {"en": "Oulu region"},
                                                                      "seat": "Kempele", "reason": None},
                                 content_type="application/merge-patch+json")
    s["patch-member"] = request("PATCH", "/v1/networks/oulu/members/$MEMBER", "$COORD",
                                body={"email": "matti.m@example.fi", "phone": None, "title": None,
                                      "reason": "typo"},
                                content_type="application/merge-patch+json",
                                headers=["Idempotency-Key: fix-1", 'If-Match: "3"'])
    s["patch-member-null-name"] = request("PATCH", "/v1/networks/oulu/members/$MEMBER",
                                          body={"name": None})
    s["retract-observation"] = request("POST", "/v1/networks/oulu/observations/"
                                       "0b3c2c8e-8f1d-4a57-9c2e-1f4b7d905f0c/retract",
                                       body={"reason": "recorded twice"})
    s["amend-meeting"] = request("POST", "/v1/meetings/$MEETING/amend",
                                 body={"held_on": "2024-11-21", "themes": ["forced_labour"],
                                       "attendee_count": 12, "notes": "", "reason": "wrong day"})
    # The public routes and the join requests (release 2).
    join = {"network": "oulu", "name": "Anna Virtanen", "email": "anna@example.fi",
            "phone": "+358 40 111 2222", "organisation": "Pohjois-Pohjanmaan hyvinvointialue",
            "sector": "wellbeing_services_county", "title": "Sosiaalityöntekijä",
            "message": "Kohtaan työssäni ihmiskaupan uhreja."}
    s["join-request"] = request("POST", "/v1/join-requests", None, join)
    s["join-request-missing-fields"] = request("POST", "/v1/join-requests", None, {"network": "oulu"})
    s["join-request-unknown-network"] = request("POST", "/v1/join-requests", None,
                                                dict(join, network="atlantis"))
    s["join-request-415"] = request("POST", "/v1/join-requests", None, raw_body="network=oulu",
                                    content_type="text/plain")
    s["approve-join-request"] = request("POST", "/v1/join-requests/$MEMBER/approve", "$COORD",
                                        body={"joined_on": "2024-06-03"})
    s["decline-join-request"] = request("POST", "/v1/join-requests/$MEMBER/decline",
                                        body={"reason": "not in the region"})
    for name, target, token in [
        ("directory", "/v1/directory", None),
        ("join-requests", "/v1/networks/oulu/join-requests?status=pending&limit=2", "$COORD"),
        ("networks", "/v1/networks", "$ANALYST"),
        ("network", "/v1/networks/oulu", "$ANALYST"),
        ("roster", "/v1/networks/oulu/members?sector=police&as_of=2024-06-01", "$ADMIN"),
        ("roster-known-at", "/v1/networks/oulu/members?known_at=2024-11-01T12:00:00Z&limit=1",
         "$ANALYST"),
        ("observations", "/v1/networks/oulu/observations?theme=forced_labour&from=2024-01-01&to=2024-12-31",
         "$COORD"),
        ("meetings", "/v1/meetings?network=oulu&status=planned&format=hybrid&from=2024-01-01", "$ANALYST"),
        ("meeting", "/v1/meetings/$MEETING", "$ANALYST"),
        ("taxonomy", "/v1/taxonomy", "$ANALYST"),
        ("tokens", "/v1/tokens", "$ADMIN"),
        ("people", "/v1/people?email=Anna%40Example.FI", "$ADMIN"),
        ("person", "/v1/people/$MEMBER", "$ADMIN"),
        ("trends", "/v1/reports/trends?from=2024-01-01&to=2024-12-31&granularity=quarter&network=oulu",
         "$ANALYST"),
        ("coverage", "/v1/reports/coverage", "$AUDITOR"),
        ("trends-known-at", "/v1/reports/trends?network=all&granularity=year&known_at=2024-11-01T12:00:00Z",
         "$ANALYST"),
        ("coverage-known-at", "/v1/reports/coverage?as_of=2024-06-01&known_at=2024-11-01T12:00:00Z",
         "$AUDITOR"),
        ("events", "/v1/events?after=1&limit=3&category=network&type=MemberJoined", "$AUDITOR"),
        ("events-cursor", "/v1/events?cursor=4", "$ADMIN"),
        ("stream", "/v1/streams/network-oulu?from_version=2", "$AUDITOR"),
        ("history", "/v1/networks/oulu/history", "$ADMIN"),
        ("audit", "/v1/audit?actor=admin&from=2020-01-01T00:00:00Z&network=oulu", "$AUDITOR"),
        ("audit-verify", "/v1/audit/verify", "$AUDITOR"),
        ("livez", "/livez", None),
        ("readyz", "/readyz", None),
        ("metrics", "/metrics", None),
        ("openapi", "/openapi.yaml", None),
        ("no-token", "/v1/networks", None),
        ("garbage-token", "/v1/networks", "not-a-token"),
        ("revoked-token", "/v1/networks", "$REVOKED"),
        ("percent-path", "/v1/networks/o%75lu?limit=%31", "$ANALYST"),
        ("unknown-route", "/v1/nothing/here", "$ADMIN"),
    ]:
        s["get-" + name] = request("GET", target, token)
    s["trends-csv"] = request("GET", "/v1/reports/trends?from=2024-01-01&to=2024-12-31", "$ANALYST",
                              headers=["Accept: text/csv"])
    s["events-sse"] = request("GET", "/v1/events", "$ADMIN",
                              headers=["Accept: text/event-stream", "Last-Event-ID: 3"])
    s["head-network"] = request("HEAD", "/v1/networks/oulu", "$ANALYST")
    s["wrong-method-405"] = request("PUT", "/v1/networks/oulu", body={})
    s["bad-json"] = request("POST", "/v1/networks", raw_body='{"id": "x", "name": {')
    s["bad-utf8"] = request("POST", "/v1/networks/oulu/observations",
                            raw_body=b'{"theme":"forced_labour","observed_on":"2024-05-14","summary":"\xff\xfe"}')
    s["not-an-object"] = request("POST", "/v1/networks", raw_body="[1,2,3]")
    s["not-json-415"] = request("POST", "/v1/networks", raw_body="id=x", content_type="text/plain")
    s["chunked"] = (b"POST /v1/networks/oulu/observations HTTP/1.1\r\nHost: x\r\n"
                    b"Authorization: Bearer $ADMIN\r\nContent-Type: application/json\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n"
                    b"1a\r\n{\"theme\":\"forced_labour\",\r\n"
                    b"1c\r\n\"observed_on\":\"2024-05-14\"}\r\n0\r\n\r\n")
    # Pipelined sequences: a retry with the same key (replay), the same key with
    # another body (422), a stale If-Match (412), and create-then-read.
    s["seq-idempotent-replay"] = (
        request("POST", "/v1/networks/oulu/observations", body=OBSERVATION,
                headers=["Idempotency-Key: obs-1"]) +
        request("POST", "/v1/networks/oulu/observations", body=OBSERVATION,
                headers=["Idempotency-Key: obs-1"]) +
        request("POST", "/v1/networks/oulu/observations", body=dict(OBSERVATION, theme="forced_marriage"),
                headers=["Idempotency-Key: obs-1"], close=True))
    s["seq-if-match"] = (
        request("GET", "/v1/networks/oulu", "$ADMIN") +
        request("POST", "/v1/networks/oulu/training-requests",
                body={"topic": "victim_identification", "requested_on": "2024-05-02"},
                headers=['If-Match: "1"']) +
        request("POST", "/v1/networks/oulu/training-requests",
                body={"topic": "victim_identification", "requested_on": "2024-05-02"},
                headers=['If-Match: "4"']))
    s["seq-join-twice"] = (request("POST", "/v1/networks/turku/members", body=MEMBER) +
                           request("POST", "/v1/networks/turku/members", body=MEMBER) +
                           request("GET", "/v1/networks/turku/members", "$ANALYST"))
    s["seq-token-lifecycle"] = (
        request("POST", "/v1/tokens", body={"name": "a2", "role": "auditor"},
                headers=["Idempotency-Key: t"]) +
        request("POST", "/v1/tokens", body={"name": "a2", "role": "auditor"},
                headers=["Idempotency-Key: t"]) +
        request("DELETE", "/v1/tokens/$TOKEN") +
        request("GET", "/v1/networks", "$ANALYST"))
    s["seq-erase-then-read"] = (request("DELETE", "/v1/people/$MEMBER/personal-data") +
                                request("GET", "/v1/networks/oulu/members", "$ADMIN") +
                                request("GET", "/v1/events?category=network", "$ADMIN"))
    return s


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds())} seeds in {out}")


if __name__ == "__main__":
    main()
