"""The clinic's whole story in a real browser (issue "The clinic"): Debian's Chromium driven by
Playwright, against a relief-serve of its own on a throwaway SQLite clinic.

Run by tests/service/run.sh:
    python3 tests/service/clinic_story.py RELIEF_SERVE_BINARY OUTDIR

1. a clinician signs in through the sign-in page (a page asked for first sends them there);
2. adds two patients through the form (A-0, then S-1, whose reference sorts after A-0's);
3. prescribes S-1 a programme with an exercise locked in, sees the preview, publishes it;
4. makes S-1's personal link;
5. the patient opens the link on a phone-sized page, walks the guided session when today has
   one, logs a session with pain, then a red-flag symptom, and is told what to do;
6. the clinician's list shows S-1 first (the open red flag), above A-0; the patient page
   acknowledges it with a note, which stays in the record, and clears the patient to exercise
   (the patient's page then says sessions start again tomorrow);
7. a form post without the CSRF token, and one sent from another site, are refused (403);
8. signing out ends the session: the list sends the browser to the sign-in page again.

Expected values come from outside the server: data/exercises.csv (the locked exercise and its
name), and NICE's tier for saddle numbness (suspected cauda equina: an emergency, NICE CKS
"Back pain - low (without radiculopathy)", red flags). Screenshots at phone size go to OUTDIR.
"""
import csv
import io
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from playwright.sync_api import sync_playwright

BIN = sys.argv[1]
OUT = pathlib.Path(sys.argv[2])
OUT.mkdir(parents=True, exist_ok=True)
ROOT = pathlib.Path(__file__).resolve().parents[2]
EMAIL, PASSWORD = "story@example.org", "clinic story passphrase"
LOCKED = "bird-dog"
failures = []


def check(condition, what):
    print(("ok: " if condition else "FAIL: ") + what)
    if not condition:
        failures.append(what)


def catalogue():
    text = (ROOT / "data" / "exercises.csv").read_text()
    rows = csv.DictReader(io.StringIO("\n".join(l for l in text.splitlines() if not l.startswith("#"))))
    return {r["id"]: r for r in rows}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


EXERCISES = catalogue()
check(LOCKED in EXERCISES, f"{LOCKED} is in data/exercises.csv")
locked_name = EXERCISES[LOCKED]["name"]

work = pathlib.Path(tempfile.mkdtemp(prefix="relief-clinic-story-"))
(work / "pw").write_text(PASSWORD + "\n")
db = str(work / "clinic.sqlite")
subprocess.run([BIN, "--clinic", db, "--create-clinic", "Story clinic", "--clinician-email", EMAIL,
                "--clinician-name", "Sam Physio", "--password-file", str(work / "pw")], check=True, capture_output=True)
port = free_port()
BASE = f"http://127.0.0.1:{port}"
log = open(OUT / "server-clinic-story.log", "w")
server = subprocess.Popen([BIN, "--port", str(port), "--threads", "1", "--max-seconds", "20", "--clinic", db],
                          stdout=log, stderr=subprocess.STDOUT)
try:
    for _ in range(200):
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=2):
                break
        except (urllib.error.URLError, ConnectionError, OSError):
            if server.poll() is not None:
                raise SystemExit(f"relief-serve did not start (exit {server.returncode})")
            time.sleep(0.05)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        clinician = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
        page = clinician.new_page()
        page.set_default_timeout(60_000)
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

        # 1. Signing in: the list first sends the browser to the sign-in page.
        page.goto(BASE + "/clinic")
        check(page.url.endswith("/clinic/sign-in"), "the list sends a browser without a session to the sign-in page")
        page.fill("#email", EMAIL)
        page.fill("#password", "not the password")
        page.click("button[type=submit]")
        check("wrong" in page.inner_text(".errors"), "a wrong password is refused on the page, in words")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("h1:has-text('Your patients')")
        check(page.url.endswith("/clinic"), "signed in, the browser is on the patient list")
        cookies = clinician.cookies()
        session = [c for c in cookies if c["name"].endswith("relief-session")]
        check(len(session) == 1 and session[0]["httpOnly"] and session[0]["sameSite"] == "Strict",
              "the session cookie is HttpOnly and SameSite=Strict")

        # 2. Two patients through the form.
        def add_patient(reference, pain):
            page.goto(BASE + "/clinic/patients/new")
            page.fill("#reference", reference)
            page.fill("#usual_pain", str(pain))
            page.click("button:has-text('Add the patient')")
            page.wait_for_selector(f"h1:has-text('{reference}')")
            return page.url

        add_patient("A-0", 3)
        patient_url = add_patient("S-1", 5)
        check("no to every question" in page.inner_text("main"), "the screen left unticked is recorded as no to every question")
        page.screenshot(path=str(OUT / "clinic-patient-phone.png"), full_page=True)

        # A mistyped form: nothing saved, the problem named.
        page.goto(BASE + "/clinic/patients/new")
        page.fill("#reference", "S-1")
        page.fill("#usual_pain", "4")
        page.click("button:has-text('Add the patient')")
        check("Nothing was saved" in page.inner_text("main") and "S-1" in page.inner_text(".errors"),
              "a reference already taken is refused, naming it, nothing saved")

        # 3. Prescribe with an exercise locked in; preview; publish.
        page.goto(patient_url)
        page.fill("#weeks", "6")
        page.fill("#days_per_week", "4")
        page.fill("#minutes", "20")
        page.select_option("#lock1", LOCKED)
        page.fill("#units1", "1")
        page.click("button:has-text('Preview')")
        page.wait_for_selector("h1:has-text('Version 1')")
        main = page.inner_text("main")
        check("(draft)" in main, "the preview is of a draft")
        check(f"{LOCKED}: prescribed 1, in the preview 1;" in main,
              "the preview keeps the locked exercise at the units prescribed, and at no other")
        weeks = page.locator("table.patients tbody tr").count()
        check(weeks == 6, f"the preview has the 6 weeks prescribed (found {weeks})")
        check(locked_name in page.inner_text("table.routine") or "in 0 of" not in main,
              "the locked exercise is in the programme")
        page.screenshot(path=str(OUT / "clinic-preview-phone.png"), full_page=True)
        page.click("button:has-text('Publish to the patient')")
        page.wait_for_selector("#programme")
        check("Version 1: published" in page.inner_text("#programme"), "publishing makes version 1 the published one")

        # 4. The patient's link, shown once.
        page.click("button:has-text('Make a new link')")
        link = page.locator("#new-link a").get_attribute("href")
        check(bool(link and re.fullmatch(r"/p/[A-Za-z0-9_-]{20,}", link)), "a new link is shown once, as /p/TOKEN")
        page.goto(patient_url)
        check(page.locator("#new-link").count() == 0, "the link is not shown again")

        # 5. The patient, on a phone, with no account.
        patient = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
        pp = patient.new_page()
        pp.set_default_timeout(60_000)
        pp.goto(BASE + link)
        check(pp.inner_text("h1") == "Your programme", "the link opens the patient's programme")
        guided = pp.locator("a:has-text('Start the guided session')")
        if guided.count() > 0:
            guided.click()
            # The countdown (the only JavaScript): it starts, counts down, and pauses.
            check(pp.locator(".timeline li").count() >= 1, "the guided step lists its timed steps")
            pp.click("#countdown-start")
            first = pp.inner_text("#countdown .clock")
            pp.wait_for_timeout(2300)
            later = pp.inner_text("#countdown .clock")
            check(first.endswith(" s") and later.endswith(" s") and int(later[:-2]) < int(first[:-2]) or "Done" in pp.inner_text("#countdown"),
                  f"the countdown counts down ({first} then {later})")
            check(pp.locator(".timeline li.current").count() == 1, "the current step is marked")
            pp.click("#countdown-pause")
            check("Paused" in pp.inner_text("#countdown .now"), "the countdown pauses")
            pp.screenshot(path=str(OUT / "clinic-guided-phone.png"), full_page=True)
            steps = 0
            while steps < 30:
                steps += 1
                nxt = pp.locator("a[rel=next]")
                if nxt.count() == 0:
                    break
                nxt.click()
            check(pp.locator("a:has-text('Done: log your session')").count() == 1, f"the guided session walks to its end ({steps} exercises)")
            pp.click("a:has-text('Done: log your session')")
        else:
            print("(today is a rest day in the programme: no guided session to walk)")
        pp.check("#done")
        pp.fill("#pain", "3")
        pp.fill("#effort", "4")
        pp.click("#log button[type=submit]")
        check("Saved for" in pp.inner_text(".saved"), "the patient's log is saved")
        pp.select_option("#symptom", "saddle-numbness")
        pp.click("#log button[type=submit]")
        advice = pp.inner_text("#advice")
        check("emergency" in advice.lower() or "999" in advice or "a&e" in advice.lower(),
              "saddle numbness is answered with the emergency advice")
        check("Your sessions are paused" in pp.inner_text("#today") and pp.locator("a:has-text('Start the guided session')").count() == 0,
              "the programme pauses: no session is offered")
        pp.screenshot(path=str(OUT / "clinic-patient-link-phone.png"), full_page=True)
        # The week's printable page and the calendar file, from the programme page's links.
        pp.goto(BASE + link)
        pp.click("#print a:has-text('(this week)')")
        check("week 1" in pp.inner_text("h1").lower() and "When to stop" in pp.inner_text("main"),
              "this week's printable page has its calendar and when to stop")
        pp.emulate_media(media="print")
        pp.screenshot(path=str(OUT / "clinic-week-print.png"), full_page=True)
        pp.emulate_media(media="screen")
        ics = pp.request.get(BASE + link + "/calendar.ics")
        check(ics.status == 200 and ics.text().startswith("BEGIN:VCALENDAR"), "the calendar file opens as iCalendar")

        # 6. The clinician's list: the red flag first.
        page.goto(BASE + "/clinic")
        first = page.locator("table.patients tbody tr").first.inner_text()
        check("S-1" in first and "Red flag" in first and "emergency" in first.lower(),
              "the list puts S-1 first with its red flag at the emergency tier")
        rows = [r.inner_text() for r in page.locator("table.patients tbody tr").all()]
        check(len(rows) == 2 and "A-0" in rows[1], "A-0 (no alert) comes after")
        page.screenshot(path=str(OUT / "clinic-list-phone.png"), full_page=True)
        page.click("a:has-text('S-1')")
        page.fill("#alerts textarea", "Phoned: sent to A&E, seen the same day")
        page.click("#alerts button:has-text('Acknowledge')")
        page.wait_for_selector("#alerts")
        check("Nothing open" in page.inner_text("#alerts"), "the acknowledged alert is no longer open")
        page.click("#alerts summary")
        check("Phoned: sent to A&E" in page.inner_text("#alerts details"), "the note stays in the record")
        check(page.locator("#progress svg").count() == 1, "the patient page charts pain and sessions")
        # Acknowledging is not clearing: the sessions stay paused until a clinician clears them.
        check("Sessions paused since" in page.inner_text("#paused"), "the patient page still shows the sessions paused")
        page.locator("#paused").screenshot(path=str(OUT / "clinic-paused-phone.png"))
        page.fill("#paused textarea", "Seen in A&E: cauda equina ruled out")
        page.click("#paused button:has-text('Cleared to exercise')")
        page.wait_for_selector("#paused")
        cleared = page.inner_text("#paused")
        check("Cleared to exercise" in cleared and "ruled out" in cleared, "the clearance is recorded with its note")
        pp.goto(BASE + link)
        check(pp.locator("#advice").count() == 0 and "start again tomorrow" in pp.inner_text("#today"),
              "the patient's page: no emergency banner, sessions start again tomorrow")

        # 7. Forms without the token, or from another site, are refused.
        pid = patient_url.rsplit("/", 1)[1]
        r = page.request.post(BASE + f"/clinic/patients/{pid}/links", form={"expires_in_days": "3"})
        check(r.status == 403, f"a form post without the CSRF token is refused (got {r.status})")
        token = page.locator("input[name=csrf_token]").first.get_attribute("value")
        r = page.request.post(BASE + f"/clinic/patients/{pid}/links", form={"expires_in_days": "3", "csrf_token": token},
                              headers={"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"})
        check(r.status == 403, f"a form post from another site is refused (got {r.status})")

        # A hostile body (a lone '=' once crashed the server's form parser) is refused, not fatal.
        r = page.request.post(BASE + "/clinic/sign-in", data="=", headers={"Content-Type": "application/x-www-form-urlencoded"})
        check(r.status == 401 and page.request.get(BASE + "/healthz").status == 200, f"a lone '=' is a failed sign-in and the server stays up (got {r.status})")
        check(page.request.get(BASE + "/clinic").headers.get("cache-control") == "no-store", "clinician pages are never cached")

        # 8. Signing out.
        page.click("button:has-text('Sign out')")
        page.wait_for_selector("h1:has-text('Sign in')")
        page.goto(BASE + "/clinic")
        check(page.url.endswith("/clinic/sign-in"), "after signing out the list asks for a sign-in again")
        # The wrong password (401) and the taken reference (409) are answered with their pages on purpose.
        unexpected = [e for e in errors if not re.search(r"status of (401|409)", e)]
        check(not unexpected, f"no other console errors ({unexpected[:3]})")
        browser.close()
finally:
    server.terminate()
    server.wait(timeout=10)
    log.close()

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("the clinic's story works in Chromium")
