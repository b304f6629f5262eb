#!/usr/bin/env python3
"""Validates a FHIR Bundle that Relief wrote, with an independent validator.

    python3 tests/fhir/validate.py BUNDLE.json   # prints a summary line; exit 0 valid, 1 not, 2 usage

The models are Python's fhir.resources (PyPI, 8.x: pydantic models generated from the FHIR
specification's StructureDefinitions). fhir.resources 8 ships R5 as its default package and R4B
(4.3.0) and STU3 beside it; it has no R4 (4.0.1) package. R4B is R4 with additions (new
resources, Subscription topics) and the same structure for every resource Relief writes
(Bundle, Patient, ServiceRequest, CarePlan, Observation, QuestionnaireResponse), so the Bundle
and each entry are parsed with `fhir.resources.R4B`: an unknown element, a wrong type, a missing
required element or a malformed date or id fails there.

fhir.resources checks structure, not terminology or references, so this script adds, from the
R4 specification's pages for each resource:
- the codes of the required bindings Relief uses (statuses, intents, Bundle.type, periodUnit);
- that every `urn:uuid:` reference resolves to an entry of the Bundle, of a resource type the
  element allows (ServiceRequest.basedOn: CarePlan | ServiceRequest | MedicationRequest, ...);
- that fullUrls are unique and each is urn:uuid:<the resource's id>;
- the codes themselves: SNOMED CT 229065009 on the ServiceRequest and LOINC 72514-3 on pain
  Observations, with the systems exactly http://snomed.info/sct and http://loinc.org, and a
  UCUM {score} quantity from 0 to 10;
- the outcome scores: each Observation of Relief's outcome-measure codes derived from a
  QuestionnaireResponse is scored again here, from the response's answers, as the manuals
  score them (RMDQ: statements answered yes, Roland & Morris 1983; ODI: sum / (5 x sections
  answered) x 100, Fairbank & Pynsent 2000; PSFS: the mean, Stratford 1995; STarT Back: items
  1-8 agreed plus item 9 "very much" or "extremely", Hill 2008; PGIC: the answer's rank), and
  the Observation's value must be that score, within the measure's range and in its unit.
"""
import json
import re
import sys

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B import __fhir_version__ as FHIR_VERSION

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"

# Required bindings (R4: each resource's page, "Terminology Bindings").
REQUIRED = {
    ("Bundle", "type"): {"document", "message", "transaction", "transaction-response", "batch",
                         "batch-response", "history", "searchset", "collection"},
    ("ServiceRequest", "status"): {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
    ("ServiceRequest", "intent"): {"proposal", "plan", "directive", "order", "original-order", "reflex-order",
                                   "filler-order", "instance-order", "option"},
    ("CarePlan", "status"): {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
    ("CarePlan", "intent"): {"proposal", "plan", "order", "option"},
    ("Observation", "status"): {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                                "entered-in-error", "unknown"},
    ("QuestionnaireResponse", "status"): {"in-progress", "completed", "amended", "entered-in-error", "stopped"},
}
ACTIVITY_STATUS = {"not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped",
                   "unknown", "entered-in-error"}
PERIOD_UNITS = {"s", "min", "h", "d", "wk", "mo", "a"}

# The resource types each reference element may name (R4; "Any" is not listed).
TARGETS = {
    ("ServiceRequest", "subject"): {"Patient", "Group", "Location", "Device"},
    ("ServiceRequest", "basedOn"): {"CarePlan", "ServiceRequest", "MedicationRequest"},
    ("ServiceRequest", "performer"): {"Practitioner", "PractitionerRole", "Organization", "CareTeam",
                                      "HealthcareService", "Patient", "Device", "RelatedPerson"},
    ("CarePlan", "subject"): {"Patient", "Group"},
    ("CarePlan", "activity.reference"): {"Appointment", "CommunicationRequest", "DeviceRequest", "MedicationRequest",
                                         "NutritionOrder", "Task", "ServiceRequest", "VisionPrescription", "RequestGroup"},
    ("Observation", "subject"): {"Patient", "Group", "Device", "Location"},
    ("Observation", "basedOn"): {"CarePlan", "DeviceRequest", "ImmunizationRecommendation", "MedicationRequest",
                                 "NutritionOrder", "ServiceRequest"},
    ("Observation", "derivedFrom"): {"DocumentReference", "ImagingStudy", "Media", "QuestionnaireResponse",
                                     "Observation", "MolecularSequence"},
    ("QuestionnaireResponse", "basedOn"): {"CarePlan", "ServiceRequest"},
}

UUID = re.compile(r"^urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


def references(resource, path):
    """The reference strings at a dotted path (lists followed)."""
    nodes = [resource]
    for part in path.split("."):
        nxt = []
        for n in nodes:
            v = n.get(part) if isinstance(n, dict) else None
            if isinstance(v, list):
                nxt.extend(v)
            elif v is not None:
                nxt.append(v)
        nodes = nxt
    return [n["reference"] for n in nodes if isinstance(n, dict) and "reference" in n]


def codings(concept):
    return (concept or {}).get("coding", [])


MEASURE = "https://relief.invalid/fhir/CodeSystem/outcome-measure"
PGIC_RANKS = ["very-much-improved", "much-improved", "minimally-improved", "no-change",
              "minimally-worse", "much-worse", "very-much-worse"]
# code: (lowest, highest, UCUM unit)
RANGES = {"rmdq": (0, 24, "{score}"), "odi": (0, 100, "%"), "psfs": (0, 10, "{score}"),
          "pgic": (1, 7, "{score}"), "startback": (0, 9, "{score}")}


def rescore(code, items):
    """The score of a QuestionnaireResponse's items, as the measure's manual scores it."""
    answers = {}
    for item in items:
        (value,) = item["answer"][0].values()
        answers[item["linkId"]] = value
    if code == "rmdq":
        return sum(1 for k in range(1, 25) if answers.get(f"rmdq-{k}") is True)
    if code == "odi":
        sections = [answers[f"odi-{k}"] for k in range(1, 11) if f"odi-{k}" in answers]
        return sum(sections) / (5 * len(sections)) * 100
    if code == "psfs":
        scores = [v for k, v in answers.items() if k.startswith("psfs-")]
        return sum(scores) / len(scores)
    if code == "pgic":
        return PGIC_RANKS.index(answers["pgic"]["code"]) + 1
    if code == "startback":
        agreed = sum(1 for k in range(1, 9) if answers.get(f"startback-{k}") is True)
        return agreed + (1 if answers["startback-9"]["code"] in ("very-much", "extremely") else 0)
    return None


def check_outcome_scores(bundle, by_url, problem):
    resources = {e.get("fullUrl"): e.get("resource", {}) for e in bundle.get("entry", [])}
    for k, entry in enumerate(bundle.get("entry", [])):
        r = entry.get("resource", {})
        if r.get("resourceType") != "Observation":
            continue
        codes = [c.get("code") for c in codings(r.get("code")) if c.get("system") == MEASURE]
        if not codes:
            continue
        where = f"entry[{k}] Observation {codes[0]}"
        low, high, unit = RANGES.get(codes[0], (None, None, None))
        if low is None:
            problem(where, f"{codes[0]!r} is not one of Relief's outcome-measure codes")
            continue
        q = r.get("valueQuantity", {})
        value = q.get("value")
        if q.get("system") != UCUM or q.get("code") != unit:
            problem(where, f"valueQuantity is not UCUM {unit}: {q}")
        if not isinstance(value, (int, float)) or not low <= value <= high:
            problem(where, f"the score must be from {low} to {high}, got {value!r}")
            continue
        sources = [resources.get(ref) for ref in references(r, "derivedFrom")]
        responses = [s for s in sources if s and s.get("resourceType") == "QuestionnaireResponse"]
        if len(responses) != 1:
            problem(where, "a questionnaire score is derived from exactly one QuestionnaireResponse")
            continue
        response = responses[0]
        if not str(response.get("questionnaire", "")).endswith("/" + codes[0]):
            problem(where, f"its response answers {response.get('questionnaire')!r}, not the {codes[0]} questionnaire")
        if response.get("authored") != r.get("effectiveDateTime"):
            problem(where, "its response was authored on another day")
        try:
            expected = rescore(codes[0], response.get("item", []))
        except (KeyError, ValueError, ZeroDivisionError, TypeError) as e:
            problem(where, f"its response cannot be scored: {e!r}")
            continue
        if expected is None or abs(expected - value) > 1e-9:
            problem(where, f"the score {value} is not the {expected} its response's answers give")


def main(argv):
    if len(argv) != 2:
        print("usage: validate.py BUNDLE.json", file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        raw = f.read()
    bundle = json.loads(raw)
    problems = []

    def problem(where, text):
        problems.append(f"{where}: {text}")

    try:
        get_fhir_model_class("Bundle").model_validate(bundle)
    except Exception as e:  # pydantic's ValidationError, or a model's own
        problem("Bundle", f"fhir.resources R4B: {e}")
    if bundle.get("resourceType") != "Bundle":
        problem("Bundle", "resourceType is not Bundle")

    by_url = {}
    counts = {}
    for k, entry in enumerate(bundle.get("entry", [])):
        r = entry.get("resource", {})
        rtype = r.get("resourceType", "?")
        where = f"entry[{k}] {rtype}"
        counts[rtype] = counts.get(rtype, 0) + 1
        try:
            get_fhir_model_class(rtype).model_validate(r)
        except Exception as e:
            problem(where, f"fhir.resources R4B: {e}")
        url = entry.get("fullUrl", "")
        m = UUID.match(url)
        if not m:
            problem(where, f"fullUrl {url!r} is not urn:uuid:<lower-case uuid>")
        elif r.get("id") != m.group(1):
            problem(where, f"id {r.get('id')!r} is not the fullUrl's uuid")
        if url in by_url:
            problem(where, f"fullUrl {url} is also entry {by_url[url][0]}")
        by_url[url] = (k, rtype)

    for (rtype, field), allowed in REQUIRED.items():
        for k, entry in enumerate(bundle.get("entry", []) if rtype != "Bundle" else [{"resource": bundle}]):
            r = entry["resource"]
            if r.get("resourceType") == rtype and r.get(field) not in allowed:
                problem(f"{rtype} {r.get('id')}", f"{field} {r.get(field)!r} is not one of the required binding's codes")

    for k, entry in enumerate(bundle.get("entry", [])):
        r = entry["resource"]
        rtype = r.get("resourceType")
        where = f"entry[{k}] {rtype}"
        for (t, path), allowed in TARGETS.items():
            if t != rtype:
                continue
            for ref in references(r, path):
                target = by_url.get(ref)
                if target is None:
                    problem(where, f"{path} {ref} does not resolve to an entry of the Bundle")
                elif target[1] not in allowed:
                    problem(where, f"{path} names a {target[1]}; R4 allows {', '.join(sorted(allowed))}")
        if rtype == "CarePlan":
            for a, act in enumerate(r.get("activity", [])):
                d = act.get("detail")
                if d is None:
                    continue
                if d.get("status") not in ACTIVITY_STATUS:
                    problem(where, f"activity[{a}].detail.status {d.get('status')!r} is not a CarePlanActivityStatus code")
                rep = d.get("scheduledTiming", {}).get("repeat", {})
                if "periodUnit" in rep and rep["periodUnit"] not in PERIOD_UNITS:
                    problem(where, f"activity[{a}] periodUnit {rep['periodUnit']!r} is not a UnitsOfTime code")
        if rtype == "ServiceRequest":
            cs = codings(r.get("code"))
            if not any(c.get("system") == SNOMED and c.get("code") == "229065009" for c in cs):
                problem(where, f"code is not SNOMED CT 229065009 in {SNOMED}: {cs}")
        if rtype == "Observation":
            cs = codings(r.get("code"))
            pain = [c for c in cs if c.get("code") == "72514-3"]
            if pain:
                if any(c.get("system") != LOINC for c in pain):
                    problem(where, f"72514-3 is not in the system {LOINC}: {pain}")
                q = r.get("valueQuantity")
                vi = r.get("valueInteger")
                if q is not None:
                    if q.get("system") != UCUM or q.get("code") != "{score}":
                        problem(where, f"valueQuantity is not UCUM {{score}}: {q}")
                    value = q.get("value")
                else:
                    value = vi
                if not isinstance(value, (int, float)) or not 0 <= value <= 10:
                    problem(where, f"a pain score must be a number from 0 to 10, got {value!r}")
                cats = [c for cat in r.get("category", []) for c in codings(cat)]
                if not any(c.get("code") == "survey" and c.get("system") == "http://terminology.hl7.org/CodeSystem/observation-category"
                           for c in cats):
                    problem(where, "a pain Observation's category is not survey")
            for c in cs:
                if c.get("system") in ("http://snomed.info/sct/", "https://snomed.info/sct", "http://loinc.org/", "https://loinc.org"):
                    problem(where, f"code system {c['system']!r} is not spelled as published")

    check_outcome_scores(bundle, by_url, problem)

    if problems:
        for p in problems:
            print("invalid:", p)
        return 1
    summary = " ".join(f"{t}={n}" for t, n in sorted(counts.items()))
    print(f"valid FHIR {FHIR_VERSION} (fhir.resources R4B): {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
