"""The page in a real browser: Debian's Chromium driven by Playwright (no browser download).

Run by tests/service/run.sh against a running `relief-serve`:
    python3 tests/service/browser_test.py http://127.0.0.1:PORT OUTDIR

Expected values come from data/exercises.csv read here, not from the server: the exercises a
condition rules out, and which ids exist.
"""
import csv
import io
import pathlib
import re
import sys

from playwright.sync_api import sync_playwright

BASE = sys.argv[1].rstrip("/")
OUT = pathlib.Path(sys.argv[2])
OUT.mkdir(parents=True, exist_ok=True)
ROOT = pathlib.Path(__file__).resolve().parents[2]

failures = []


def check(condition, what):
    if condition:
        print(f"ok: {what}")
    else:
        print(f"FAIL: {what}")
        failures.append(what)


def catalogue():
    text = (ROOT / "data" / "exercises.csv").read_text()
    rows = list(csv.DictReader(io.StringIO("\n".join(l for l in text.splitlines() if not l.startswith("#")))))
    return {r["id"]: r for r in rows}


EXERCISES = catalogue()
NAMES = {r["name"]: i for i, r in EXERCISES.items()}
FLEXION_UNSAFE = {i for i, r in EXERCISES.items() if "flexion-intolerant" in r["avoid_if"].split(";")}


def fill_and_submit(page, minutes, conditions=(), flags=(), screen_done=True):
    page.fill("#minutes", str(minutes))
    for c in conditions:
        page.check(f"#condition-{c}")
    for f in flags:
        page.check(f"input[name=flag][value={f}]")
    if screen_done:
        page.check("#screen-done")
    page.click("button[type=submit]")


def routine_ids(page):
    names = page.locator("table.routine tbody tr td:nth-child(2) > strong:first-child").all_inner_texts()
    return [NAMES.get(n) for n in names]


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])

    # 1. With JavaScript, on a desktop window: fill, submit, see the routine and the chart.
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(BASE + "/")
    check(page.title().startswith("Relief"), "the page has a title")
    # Every form control has a label (screen readers).
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input')].filter(i =>
        i.type !== 'hidden' && !(i.id && document.querySelector('label[for="' + i.id + '"]'))).length""")
    check(unlabelled == 0, f"every input has a label ({unlabelled} without)")
    fill_and_submit(page, 30, conditions=["flexion-intolerant"])
    page.wait_for_selector("#result table.routine", timeout=60_000)
    ids = routine_ids(page)
    unknown = [n for n, i in zip(page.locator("table.routine tbody tr td:nth-child(2) > strong:first-child").all_inner_texts(), ids) if i is None]
    check(len(ids) > 0 and not unknown, f"the routine lists catalogue exercises ({len(ids)}; not in the catalogue: {unknown})")
    check(not (set(ids) & FLEXION_UNSAFE), "no exercise unsafe with flexion intolerance is in the routine")
    rows = page.locator("table.routine tbody tr")
    stops = [rows.nth(k).locator(".stop").count() for k in range(rows.count())]
    instructions = [rows.nth(k).locator("td:nth-child(2) p").count() for k in range(rows.count())]
    check(all(s == 1 for s in stops), "every exercise shows its stop cue")
    check(all(n >= 2 for n in instructions), "every exercise shows its instructions")
    left_out = page.locator("h3:has-text('Left out for you') + ul li").all_inner_texts()
    shown = {NAMES.get(t.split(":")[0]) for t in left_out}
    check(FLEXION_UNSAFE <= shown, f"the page says which exercises were left out ({len(FLEXION_UNSAFE)} expected)")
    bars = page.locator("figure.chart svg rect").count()
    check(bars == 6, f"the chart has a track and a bar for each of the three causes ({bars} rects)")
    check(page.locator("h3:has-text('For your physiotherapist (details)')").count() == 1, "the technical details have their own section")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(OUT / "page.png"), full_page=False)
    page.locator("#result").screenshot(path=str(OUT / "result.png"))
    page.emulate_media(media="print")
    page.pdf(path=str(OUT / "handout.pdf"), format="A4")
    pdf = (OUT / "handout.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    check(pages == 1, f"printing gives a one-page handout ({pages} pages)")
    page.emulate_media(media="screen")

    # 2. A red flag plans nothing and says whom to see.
    page.goto(BASE + "/")
    fill_and_submit(page, 15, flags=["saddle-numbness"])
    page.wait_for_selector("#result h2", timeout=60_000)
    check("do not start" in page.inner_text("#result h2"), "a red flag answer plans nothing")
    check(page.locator("#result table.routine").count() == 0, "no routine after a red flag")

    # 2b. A symptom noticed since starting: the same tier as relief log, no routine.
    page.goto(BASE + "/")
    page.check("input[name=symptom][value=bladder-bowel]")
    fill_and_submit(page, 15)
    page.wait_for_selector("#result h2", timeout=60_000)
    check("Stop the exercises: emergency" in page.inner_text("#result h2"), "a cauda equina symptom is an emergency")
    check(page.locator("#result table.routine").count() == 0, "no routine after an emergency symptom")
    # 2c. Unscreened: said before the routine.
    page.goto(BASE + "/")
    fill_and_submit(page, 15, screen_done=False)
    page.wait_for_selector("#result table.routine", timeout=60_000)
    first = page.locator("#result p.warn").first.inner_text()
    check("UNSCREENED" in first, "an unscreened plan says so first")

    # 3. A bad value is named with what was expected.
    page.goto(BASE + "/")
    # The browser's own check (min="1") would stop the form first: switch it off to reach the server's.
    page.evaluate("() => { document.getElementById('plan-form').noValidate = true; }")
    fill_and_submit(page, 0)
    page.wait_for_selector("#result .errors", timeout=60_000)
    check("minutes must be" in page.inner_text("#result .errors"), "a bad number of minutes is named")

    # 4. Without JavaScript the form still works (a plain POST renders the whole page).
    nojs = browser.new_context(java_script_enabled=False, viewport={"width": 1000, "height": 800})
    page = nojs.new_page()
    page.goto(BASE + "/")
    fill_and_submit(page, 10)
    page.wait_for_selector("#result table.routine", timeout=60_000)
    check(page.url.rstrip("/") == BASE, "without JavaScript the form posts to the page")
    check(len(routine_ids(page)) > 0, "without JavaScript the routine is shown")

    # 5. On a phone: nothing wider than the screen.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = phone.new_page()
    page.goto(BASE + "/")
    fill_and_submit(page, 15)
    page.wait_for_selector("#result table.routine", timeout=60_000)
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    check(wide <= 0, f"on a phone nothing scrolls sideways ({wide} px too wide)")
    page.screenshot(path=str(OUT / "phone.png"), full_page=False)
    browser.close()

if failures:
    print(f"browser test: {len(failures)} failed")
    sys.exit(1)
print("browser test: all passed")
