"""The locust mix of issue 9 (driven by bench/load.py; not imported by Django).

Users, by weight in a run of 50: the public (home, catalogue, an item's page, progress
queries by number and code), citizens who create an MKT-002 application, upload its four
materials and submit it, a clerk who accepts submitted applications, reviewers reading
their queue, supervisors reading the statistics. ``PingUser`` only calls the trivial JSON
view (the ceiling). bench/load.py writes the tokens, citizens, items and tracking numbers
into the JSON file named by BENCH_LOAD_CONFIG.

Every request says it came through the TLS-terminating proxy (X-Forwarded-Proto: https),
as production expects; the authenticated calls use API tokens (the session cookie is
Secure in production and would not travel over the plain HTTP of this loopback run).
"""

import itertools
import json
import os
import random
from urllib.parse import urlsplit

from locust import HttpUser, between, constant, task

CONFIG = json.loads(open(os.environ["BENCH_LOAD_CONFIG"], encoding="utf-8").read())
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICANT = {"name": "陈民", "id_number": "11010519491231002X", "phone": "13800138000"}
MATERIALS = ["FORM", "LICENCE", "LAYOUT", "SAFETY"]
# BENCH_ITEM_MODE: "same" (every citizen applies for MKT-002) or "different" (citizen i
# applies for its own copy of MKT-002, BENCH-i).
ITEM_MODE = os.environ.get("BENCH_ITEM_MODE", "same")
_citizens = itertools.count()
# BENCH_THINK="1,3": each user waits 1–3 s between requests (a person reading the page); unset,
# no think time (the saturation runs).
THINK = [float(x) for x in os.environ.get("BENCH_THINK", "").split(",") if x]


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(*THINK) if THINK else constant(0)
    token_of: str | None = None

    def read(self):
        """In a paced run, a person reads (or picks the next file) between any two requests,
        also within one task: nobody sends a form, four uploads and a submit in 100 ms."""
        if THINK:
            self.wait()

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"
        if self.token_of:
            self.client.headers["Authorization"] = f"Token {CONFIG['tokens'][self.token_of]}"


class PingUser(PortalUser):
    @task
    def ping(self):
        self.client.get("/api/ping/")


class PublicUser(PortalUser):
    weight = 20

    @task(2)
    def home(self):
        self.client.get("/")

    @task
    def catalogue(self):
        self.client.get("/services/")
        self.read()
        self.client.get("/api/services/")

    @task
    def item(self):
        self.client.get("/services/MKT-002/", name="/services/{code}/")

    @task(2)
    def track(self):
        number, code = random.choice(CONFIG["tracking"])
        self.client.get("/track/", params={"number": number, "code": code}, name="/track/?number&code")
        self.read()
        self.client.get(f"/api/track/{number}/", params={"code": code}, name="/api/track/{number}/")


class CitizenUser(PortalUser):
    """Create + upload four materials + submit, again and again."""

    weight = 20

    def on_start(self):
        index = next(_citizens) % len(CONFIG["citizens"])
        self.token_of = CONFIG["citizens"][index]
        self.item = "MKT-002" if ITEM_MODE == "same" else CONFIG["items"][index]
        super().on_start()

    @task
    def apply(self):
        created = self.client.post("/api/applications/", json={"service": self.item, "applicant": APPLICANT},
                                   name="/api/applications/ [create]")
        if created.status_code != 201:
            return
        pk = created.json()["id"]
        for material in MATERIALS:
            self.read()
            response = self.client.post(f"/api/applications/{pk}/materials/", data={"material": material},
                                        files={"file": ("scan.pdf", PDF, "application/pdf")},
                                        name="/api/applications/{id}/materials/")
            if response.status_code != 201:
                return
        self.read()
        self.client.post(f"/api/applications/{pk}/submit/", name="/api/applications/{id}/submit/")


class ClerkUser(PortalUser):
    """The window: the list of submitted applications, then accept one of them. Two clerks
    may pick the same one: the loser's 409 is the documented answer to a lost race."""

    weight = 3
    token_of = "window"

    @task
    def accept(self):
        listed = self.client.get("/api/applications/", params={"status": "submitted", "limit": 20},
                                 name="/api/applications/?status=submitted")
        if listed.status_code != 200 or not listed.json()["results"]:
            return
        pk = random.choice(listed.json()["results"])["id"]
        self.read()
        with self.client.post(f"/api/applications/{pk}/accept/", name="/api/applications/{id}/accept/",
                              catch_response=True) as response:
            if response.status_code == 409:
                response.success()


class ReviewerUser(PortalUser):
    weight = 4
    token_of = "reviewer_market"

    @task
    def queue(self):
        first = self.client.get("/api/stages/", name="/api/stages/")
        if first.status_code == 200 and first.json()["next"]:
            link = urlsplit(first.json()["next"])  # absolute, https: follow it on this host
            self.read()
            self.client.get(f"{link.path}?{link.query}", name="/api/stages/?cursor")


class SupervisorUser(PortalUser):
    weight = 3
    token_of = "supervisor"

    @task
    def statistics(self):
        self.client.get("/api/stats/departments/")
