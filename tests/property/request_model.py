"""Requests for one OpenAPI operation, valid or broken, and the checks on their answers.

`discover(client)` fills the pools of real values from a running server (and
adds a network with spare members and spare tokens that tests may spend).
`RequestModel(contract, pools, tokens).request(op, "valid" | "invalid")` is a
Hypothesis strategy of `Req`; `Req.send(client)` sends it; `check_answer`
lists what is wrong with an answer (empty when the answer is right).
"""

import json
import re
import urllib.parse
import uuid

from hypothesis import strategies as st

from schema_strategies import BAD_DATES, DATES, Generator, Pools, unique_suffix

MISSING_UUID = "0b3c2c8e-8f1d-4a57-9c2e-1f4b7d905f0c"
SPARE_NETWORK = "property-net"
ROLES = ("admin", "coordinator", "analyst", "auditor")
# 422 answers a schema-valid request may get: rules about the registry's state
# that the schema cannot express.
SEMANTIC_422 = {"transferStewardship", "leaveNetwork", "recordMeeting", "rescheduleMeeting",
                "scheduleMeeting", "recordObservation", "joinNetwork", "issueToken",
                # a patch with no field but the reason; attendees not of the meeting's networks
                "changeMemberDetails", "amendMeetingRecord",
                # a blank text or target group (only spaces)
                "recordWish", "recordNationalFinding"}


class Req:
    def __init__(self, kind, label, method, path, query=None, headers=None, body=None, raw=None,
                 token="default", content_type="application/json", expect=None, op=None):
        self.kind = kind
        self.label = label
        self.method = method
        self.path = path
        self.query = query or []
        self.headers = headers or {}
        self.body = body
        self.raw = raw
        self.token = token
        self.content_type = content_type
        self.expect = expect
        self.op = op

    def url(self):
        if not self.query:
            return self.path
        return self.path + "?" + urllib.parse.urlencode(self.query)

    def send(self, client):
        raw = self.raw
        if raw is None and self.body is not None:
            raw = json.dumps(self.body, ensure_ascii=False).encode("utf-8")
        return client.call(self.method, self.url(), raw=raw, token=self.token, headers=self.headers,
                           content_type=self.content_type)

    def describe(self):
        body = self.raw if self.raw is not None else (json.dumps(self.body) if self.body is not None else "")
        body = body if isinstance(body, str) else body.decode("utf-8", errors="replace")
        if len(body) > 600:
            body = body[:600] + f"... ({len(body)} characters)"
        token = "admin" if self.token == "default" else self.token
        return (f"{self.kind} request ({self.label}): {self.method} {self.url()[:400]}\n"
                f"  token: {token!r}; headers: {self.headers}; content-type: {self.content_type}\n"
                f"  body: {body}")


def check_answer(contract, req, answer):
    problems = []
    status = answer.status
    if status >= 500:
        problems.append(f"answer {status} (a server error)")
    if 400 <= status < 500:
        if answer.media != "application/problem+json":
            problems.append(f"a {status} answer is {answer.media!r}, not application/problem+json")
        elif not isinstance(answer.json, dict) or answer.json.get("status") != status:
            problems.append(f"the problem's status {(answer.json or {}).get('status')!r} is not {status}")
    text = answer.body.decode("utf-8", errors="replace")
    problems += contract.check(req.method, req.url(), status, answer.header_list, text)
    op_id = (req.op or {}).get("operationId")
    if req.kind == "valid":
        allowed = 200 <= status < 300 or status == 409 or (status == 422 and op_id in SEMANTIC_422)
        if not allowed:
            problems.append(f"a valid request was answered {status}")
    elif req.expect is not None and status not in req.expect:
        problems.append(f"expected {sorted(req.expect)}, got {status}")
    elif not 400 <= status < 500:
        problems.append(f"an invalid request was answered {status}")
    return problems


def format_failure(op, kind, req, answer, problems):
    return (f"FAIL {op['operationId']} ({op['method']} {op['template']}), {kind}:\n"
            + "\n".join("  - " + p for p in problems) + "\n  " + req.describe().replace("\n", "\n  ")
            + f"\n  answer: {answer.status} {answer.media} {answer.body[:600]!r}")


def _ok(answer, *statuses):
    if answer.status not in statuses:
        raise RuntimeError(f"setup request answered {answer!r}")
    return answer.json


def discover(client):
    """Pools of real values, and a token secret per role."""
    p = Pools()
    tax = _ok(client.call("GET", "/v1/taxonomy"), 200)
    p.sectors = [e["code"] for e in tax["sectors"]]
    p.themes = [e["code"] for e in tax["themes"]]
    p.topics = [e["code"] for e in tax["training_topics"]]
    p.families = [e["code"] for e in tax["themes"] if e.get("family") is None]
    _ok(client.call("POST", "/v1/networks", {
        "id": SPARE_NETWORK, "name": {"fi": "Koe", "sv": "Prov", "en": "Trial"}, "region": "Kainuu",
        "seat": "Kajaani", "steward": "Pro-tukipiste", "established_on": "2020-01-01"}), 201)
    p.networks = [n["id"] for n in _ok(client.call("GET", "/v1/networks?limit=1000"), 200)["items"]]
    for n in p.networks:
        items = _ok(client.call("GET", f"/v1/networks/{n}/members?limit=1000"), 200)["items"]
        p.members[n] = [m["member_id"] for m in items]
    for m in _ok(client.call("GET", "/v1/meetings?limit=1000"), 200)["items"]:
        p.meetings.setdefault(m["network"], []).append(m["meeting_id"])
    for i in range(40):
        a = _ok(client.call("POST", f"/v1/networks/{SPARE_NETWORK}/members", {
            "name": f"Spare {i}", "email": f"spare{i}@example.org", "organisation": "Trial",
            "sector": p.sectors[i % len(p.sectors)], "joined_on": "2020-02-01"}), 201)
        p.spare_members.append((SPARE_NETWORK, a["member_id"]))
        p.members.setdefault(SPARE_NETWORK, []).append(a["member_id"])
    for n in p.networks:  # open requests that a delivered training may answer (once)
        for i in range(3):
            a = _ok(client.call("POST", f"/v1/networks/{n}/training-requests", {
                "topic": p.topics[i % len(p.topics)], "requested_on": "2024-03-01"}), 200)
            p.requests.setdefault(n, []).append(a["request_id"])
    for i in range(20):
        a = _ok(client.call("POST", f"/v1/networks/{SPARE_NETWORK}/observations", {
            "theme": p.themes[i % len(p.themes)], "observed_on": "2024-03-01"}), 200)
        p.observations.append((SPARE_NETWORK, a["observation_id"]))
    for i in range(20):
        a = _ok(client.call("POST", "/v1/observations", {
            "theme": p.themes[i % len(p.themes)], "observed_on": "2024-03"}), 200)
        p.national_observations.append(a["observation_id"])
    for i in range(24):
        a = _ok(client.call("POST", f"/v1/networks/{SPARE_NETWORK}/meetings", {
            "scheduled_for": "2024-06-01", "format": "remote", "location": "Teams"}), 201)
        p.meetings.setdefault(SPARE_NETWORK, []).append(a["meeting_id"])
    for i in range(40):
        a = _ok(client.call("POST", "/v1/join-requests", {
            "network": SPARE_NETWORK, "name": f"Joiner {i}", "email": f"joiner{i}@example.org",
            "organisation": "Trial", "sector": p.sectors[i % len(p.sectors)]}, token=None), 202)
        p.join_requests.append(a["id"])
    tokens = {"admin": None}
    for role in ROLES[1:]:
        a = _ok(client.call("POST", "/v1/tokens", {"name": f"property-{role}", "role": role}), 201)
        tokens[role] = a["token"]
    for i in range(30):
        a = _ok(client.call("POST", "/v1/tokens", {"name": f"property-spare-{i}", "role": "analyst"}), 201)
        p.spare_tokens.append(a["id"])
    for i in range(5):
        a = _ok(client.call("POST", "/v1/tokens", {"name": f"property-rotating-{i}", "role": "analyst"}), 201)
        p.rotating_tokens.append(a["id"])
    page = client.call("GET", "/", token=None)
    p.assets = re.findall(r'"/assets/([^"/]+)"', page.body.decode("utf-8", "replace")) if page.status == 200 else []
    p.streams = (["taxonomy", "national"] + [f"network-{n}" for n in p.networks]
                 + [f"meeting-{m}" for v in p.meetings.values() for m in v][:20]
                 + [f"token-{t}" for t in p.spare_tokens[:5]])
    return p, tokens


class RequestModel:
    def __init__(self, contract, pools, tokens):
        self.contract = contract
        self.pools = pools
        self.tokens = tokens
        self.gen = Generator(contract, pools)

    # ---- pieces of an operation ------------------------------------------------
    def params(self, op, where):
        item = self.contract.doc["paths"][op["template"]]
        out = []
        for p in list(item.get("parameters", [])) + list(op.get("parameters", [])):
            p = self.contract.deref(p)
            if p["in"] == where:
                out.append(p)
        return out

    def body_ref(self, op):
        rb = op.get("requestBody")
        if not rb:
            return None, False
        rb = self.contract.deref(rb)
        schema = rb.get("content", {}).get("application/json", {}).get("schema", {})
        return schema.get("$ref"), bool(rb.get("required"))

    def roles(self, op):
        return op.get("x-ikv-roles", list(ROLES))

    def path_strategy(self, op):
        """(path, network id) with real ids for the path's parameters."""
        t = op["template"]
        p = self.pools
        if t.startswith("/v1/observations/{observation_id}"):
            return st.sampled_from(p.national_observations).map(
                lambda o: (t.replace("{observation_id}", o), None))
        if "{observation_id}" in t:
            return st.sampled_from(p.observations).map(
                lambda no: (t.replace("{id}", no[0]).replace("{observation_id}", no[1]), no[0]))
        if "{member_id}" in t and "{id}" in t:
            return st.sampled_from(p.spare_members).map(
                lambda nm: (t.replace("{id}", nm[0]).replace("{member_id}", nm[1]), nm[0]))
        if "{member_id}" in t:
            return st.sampled_from(p.spare_members).map(lambda nm: (t.replace("{member_id}", nm[1]), nm[0]))
        if "{meeting_id}" in t:
            pairs = [(n, m) for n, ms in p.meetings.items() for m in ms]
            return st.sampled_from(pairs).map(lambda nm: (t.replace("{meeting_id}", nm[1]), nm[0]))
        if t.startswith("/v1/join-requests/{id}"):
            return st.sampled_from(p.join_requests).map(lambda i: (t.replace("{id}", i), SPARE_NETWORK))
        if t == "/v1/tokens/{id}/rotate":
            # Tokens nothing revokes, so that a valid rotation can succeed.
            return st.sampled_from(p.rotating_tokens).map(lambda i: (t.replace("{id}", i), None))
        if t.startswith("/v1/tokens/{id}"):
            return st.sampled_from(p.spare_tokens).map(lambda i: (t.replace("{id}", i), None))
        if "{id}" in t:
            return st.sampled_from(p.networks).map(lambda n: (t.replace("{id}", n), n))
        if "{stream}" in t:
            return st.sampled_from(p.streams).map(lambda s: (t.replace("{stream}", s), None))
        if "{file}" in t:
            return st.sampled_from(p.assets or ["no-dashboard.js"]).map(lambda f: (t.replace("{file}", f), None))
        return st.just((t, None))

    def query_value(self, param, network):
        name = param["name"]
        schema = self.gen.resolve(param.get("schema", {}))
        # A network filter whose schema also takes `all` (the trends) draws it too.
        takes_all = any("all" in alt.get("enum", []) for alt in schema.get("anyOf", []))
        special = {"network": st.sampled_from(self.pools.networks + (["all"] if takes_all else [])), "theme": st.sampled_from(self.pools.themes),
                   "sector": st.sampled_from(self.pools.sectors), "actor": st.sampled_from(
                       ["admin", "demo-loader", "property-coordinator", "nobody"]),
                   "reason": st.text(min_size=1, max_size=30), "include_former": st.sampled_from(["true", "false"]),
                   "after": st.integers(min_value=0, max_value=2000).map(str),
                   "from_version": st.integers(min_value=1, max_value=50).map(str),
                   "left_on": DATES}
        if name in special:
            return special[name]
        return self.gen.valid(schema, None, network).map(lambda v: str(v).lower() if isinstance(v, bool) else str(v))

    def valid_query(self, op, network):
        params = [p for p in self.params(op, "query") if p["name"] != "cursor"]

        @st.composite
        def build(draw):
            q = {}
            for p in params:
                if p.get("required") or draw(st.booleans()):
                    q[p["name"]] = draw(self.query_value(p, network))
            if "from" in q and "to" in q and q["from"] > q["to"]:
                q["from"], q["to"] = q["to"], q["from"]
            return sorted(q.items())
        return build()

    # ---- requests ------------------------------------------------------------
    def request(self, op, kind):
        return self.valid_request(op) if kind == "valid" else self.invalid_request(op)

    def valid_request(self, op):
        ref, _ = self.body_ref(op)

        @st.composite
        def build(draw):
            path, network = draw(self.path_strategy(op))
            query = draw(self.valid_query(op, network))
            body = draw(self.gen.valid_body(ref, network)) if ref else None
            if op["operationId"] == "leaveNetwork" and body is not None and draw(st.booleans()):
                body = None  # its parameters may come as query parameters instead
            if op["operationId"] == "recordMeeting" and "attendee_count" in body and "attendees" in body:
                body["attendee_count"] = max(body["attendee_count"], len(body["attendees"]))
            if op["operationId"] == "recordWish":  # a format with meeting_format only, and a real one
                body.pop("format", None)
                if body["kind"] == "meeting_format":
                    body["format"] = draw(st.sampled_from(["in_person", "remote", "hybrid"]))
            if op["operationId"] == "requestToJoin":
                body["network"] = draw(st.sampled_from(self.pools.networks))
            if op["operationId"] == "deliverTraining" and "participants" in body:
                body["participants"] = min(body["participants"], 500)
            roles = [r for r in self.roles(op) if r != "public"]
            role = draw(st.sampled_from(roles)) if roles else None
            headers = {}
            if op["method"] in ("POST", "PATCH") and draw(st.booleans()):
                headers["Idempotency-Key"] = str(uuid.uuid4())
            if draw(st.booleans()):
                headers["X-Request-Id"] = "prop-" + unique_suffix()
            if op["operationId"] == "getTrends" and draw(st.booleans()):
                headers["Accept"] = "text/csv"
            token = None if role is None else ("default" if role == "admin" else self.tokens[role])
            return Req("valid", f"as {role or 'public'}", op["method"], path, query, headers, body,
                       token=token, op=op)
        return build()

    def invalid_request(self, op):
        ref, body_required = self.body_ref(op)
        public = self.roles(op) == ["public"]
        query_params = self.params(op, "query")
        breakable = [p for p in query_params if self.bad_query_options(p)]
        method = op["method"]

        @st.composite
        def build(draw):
            base = draw(self.valid_request(op))
            base.kind = "invalid"
            choices = ["method"]
            if not public:
                choices += ["no token", "bad token"]
                if any(r not in self.roles(op) for r in ROLES):
                    choices.append("role")
            if op["template"].count("{"):
                choices.append("unknown id")
            if method == "GET" and not public:
                choices += ["unknown query parameter"]
            if breakable:
                choices += ["bad query value"] * 3
            if any(p["name"] == "from" for p in query_params):
                choices.append("from after to")
            if ref:
                choices += ["body"] * 6 + ["content type", "malformed json", "bad utf-8", "oversize",
                                           "not an object"]
            # A backup and a checkpoint write to no stream: If-Match has nothing to match.
            if method in ("POST", "DELETE", "PATCH") and not public and op["operationId"] not in ("createBackup",
                                                                                       "signCheckpoint"):
                choices += ["bad if-match", "stale if-match"]
            if method in ("POST", "PATCH") and not public:
                choices.append("bad idempotency key")
            what = draw(st.sampled_from(choices))
            base.label = what
            if what == "method":
                item = self.contract.doc["paths"][op["template"]]
                others = [m for m in ("PUT", "PATCH", "POST", "DELETE", "GET") if m.lower() not in item]
                base.method = draw(st.sampled_from(others))
                base.expect = {405}
            elif what == "no token":
                base.token = None
                base.expect = {401}
            elif what == "bad token":
                bad = draw(st.sampled_from(["nonsense", "", "x" * 5000, "Basic YWRtaW46YWRtaW4=", "Bearer",
                                            "bearer-with space", "property-admin"]))
                base.token = None
                base.headers["Authorization"] = bad if bad.startswith(("Basic", "Bearer")) else "Bearer " + bad
                base.expect = {401}
            elif what == "role":
                role = draw(st.sampled_from([r for r in ROLES if r not in self.roles(op)]))
                base.token = "default" if role == "admin" else self.tokens[role]
                base.label = f"role {role}"
                base.expect = {403}
            elif what == "unknown id":
                base.path, base.expect = draw(self.unknown_path(op))
            elif what == "unknown query parameter":
                name = draw(st.sampled_from(["colour", "Limit", "limit[]", "x", "after_", "q"]))
                base.query = base.query + [(name, "1")]
                base.expect = {422}
            elif what == "bad query value":
                p = draw(st.sampled_from(breakable))
                value = draw(self.bad_query_value(p))
                base.query = [(k, v) for k, v in base.query if k != p["name"]] + [(p["name"], value)]
                base.label = f"bad query value {p['name']}={value[:40]!r}"
                base.expect = {422}
            elif what == "from after to":
                base.query = [(k, v) for k, v in base.query if k not in ("from", "to")]
                dates = sorted(draw(st.lists(DATES, min_size=2, max_size=2, unique=True)))
                if op["operationId"] == "listAudit":
                    dates = [d + "T00:00:00Z" for d in dates]
                base.query += [("from", dates[1]), ("to", dates[0])]
                base.expect = {422}
            elif what == "body":
                valid = base.body if base.body is not None else {}
                label, bad = draw(self.gen.invalid_body(ref, valid))
                base.body = bad
                base.raw = json.dumps(bad, ensure_ascii=False).encode("utf-8")
                base.label = "body: " + label
                base.expect = {422}
            elif what == "content type":
                base.body = base.body if base.body is not None else {}
                base.content_type = draw(st.sampled_from(["text/plain", "application/xml", "multipart/form-data",
                                                          "application/x-www-form-urlencoded", "text/json"]))
                base.expect = {415}
            elif what == "malformed json":
                base.body = None
                base.raw = draw(st.sampled_from([b'{"a": ', b"{'a': 1}", b"{,}", b'{"a": 1} trailing', b"nul",
                                                 b'{"a": 01}', b'{"a": NaN}', b"[" * 5000]))
                base.expect = {400}
            elif what == "bad utf-8":
                base.body = None
                base.raw = b'{"summary": "\xff\xfe\xc3"}'
                base.expect = {400}
            elif what == "oversize":
                base.body = None
                base.raw = b'{"notes": "' + b"z" * (1024 * 1024 + 10) + b'"}'
                base.expect = {413}
            elif what == "not an object":
                base.body = draw(st.sampled_from([[], [1], "text", 3, None, True]))
                base.raw = json.dumps(base.body).encode()
                base.expect = {400, 422}
            elif what == "bad if-match":
                value = draw(st.sampled_from(["abc", '"x"', "3", '"-1"', '""', "*x", 'W/"3"']))
                base.headers["If-Match"] = value
                # A bare number is read leniently as that version; a weak tag never matches
                # (RFC 9110 13.1.1: If-Match compares strongly), so 412 is right for it.
                base.expect = {400, 412} if value.isdigit() or value.startswith("W/") else {400}
            elif what == "stale if-match":
                base.headers["If-Match"] = '"987654"'
                base.expect = {412}
            elif what == "bad idempotency key":
                base.headers["Idempotency-Key"] = draw(st.sampled_from(["k" * 256, "with space", "ä-key", "\t"]))
                base.expect = {400}
            if body_required and base.body is None and base.raw is None and what in (
                    "no token", "bad token", "role", "unknown id"):
                base.body = {}
            return base
        return build()

    def unknown_path(self, op):
        t = op["template"]
        ids = {"{id}": st.sampled_from(["no-such-network", "zz-" + uuid.uuid4().hex[:6]]),
               "{member_id}": st.just(MISSING_UUID), "{meeting_id}": st.just(MISSING_UUID),
               "{observation_id}": st.just(MISSING_UUID),
               "{stream}": st.sampled_from(["network-nowhere", "meeting-" + MISSING_UUID, "token-none"]),
               "{file}": st.sampled_from(["no-such-file.js", "main-00000000.js"])}
        if t.startswith("/v1/tokens/"):
            ids["{id}"] = st.sampled_from(["no-such-token", MISSING_UUID])
        if t.startswith("/v1/join-requests/"):
            ids["{id}"] = st.sampled_from(["no-such-request", MISSING_UUID])

        @st.composite
        def build(draw):
            path = t
            if "{id}" in t and ("{member_id}" in t or "{observation_id}" in t):
                # A real network with an unknown member, or an unknown network.
                if draw(st.booleans()):
                    path = path.replace("{id}", SPARE_NETWORK)
            for key, strat in ids.items():
                if key in path:
                    path = path.replace(key, draw(strat))
            return path, {404}
        return build()

    def bad_query_value(self, param):
        return st.one_of(self.bad_query_options(param))

    def bad_query_options(self, param):
        """Strategies of values that break the parameter's schema ([] when none is known)."""
        schema = self.gen.resolve(param.get("schema", {}))
        kind = self.gen.kind(schema)
        options = []
        if kind == "string" and "maxLength" in schema:
            options.append(st.just("x" * (schema["maxLength"] + 1)))
        if kind == "string" and schema.get("minLength", 0) >= 1:
            options.append(st.just(""))
        if kind == "integer":
            lo, hi = schema.get("minimum"), schema.get("maximum")
            options += [st.sampled_from(["abc", "1.5", "", "1e3", "0x10", " 5", "99999999999999999999999"])]
            if lo is not None:
                options.append(st.integers(min_value=lo - 1000, max_value=lo - 1).map(str))
            if hi is not None:
                options.append(st.integers(min_value=hi + 1, max_value=hi + 10 ** 6).map(str))
        elif "enum" in schema:
            options.append(st.sampled_from(["", "MONTH", "week", "all", "x" * 300]))
        elif schema.get("format") == "date":
            options.append(BAD_DATES.filter(bool))
        elif schema.get("format") == "date-time":
            options.append(st.sampled_from(["soon", "2024-02-30T00:00:00Z", "2024-01-01", "2024-01-01T25:00:00Z",
                                            "1700000000"]))
        elif param["name"] in ("include_former",):
            options.append(st.sampled_from(["maybe", "1", "", "TRUE"]))
        elif param["name"] in ("network", "theme", "sector"):
            options.append(st.sampled_from(["NOPE", "bad value", "ä"]))
        elif param["name"] == "cursor":
            options.append(st.sampled_from(["zzz", "!!!", "aWt2MTpub3RoaW5n"]))
        return options
