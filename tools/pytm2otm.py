#!/usr/bin/env python3
"""pytm2otm: write a pytm threat model as Open Threat Model (OTM 0.2.0) JSON.

Usage:
    pip install pytm            # the pytm your model is written for
    python3 tools/pytm2otm.py path/to/tm.py > model.otm.json
    ward import otm model.otm.json -o imported/
    ward check imported/

The model file is imported as a module (its `if __name__ == "__main__":
tm.process()` does not run), then the objects pytm registered are walked:

    pytm                      OTM
    TM (name, description)    project
    Boundary                  trustZone (trustRating 33: pytm has no trust
                              level; nested boundaries keep their parent)
    Actor                     component of type "actor"
    Server, Process, Lambda,  component of type "server", "process", ...
    Datastore, LLM, Agent...  (the class name, lower case)
    Dataflow                  dataflow: protocol, dstPort, encryption and
                              authentication in attributes
    validatesInput, sanitizesInput      attributes.inputValidation
    encodesOutput                       attributes.outputEncoding
    hasAccessControl, authorizesSource  attributes.accessControl
    authenticatesDestination (flow)     attributes.authenticatesDestination
                                        (Ward's server_authenticated)
    usesMFA (flow)                      attributes.auth = "mfa"
    tlsVersion (flow, TLSv10..TLSv13)   attributes.tlsVersion
    (each read from the object's `controls` in pytm 1.3+, else the object)
    inScope = False           attributes.outOfScope (element or dataflow)
    Data                      asset (classification in attributes)
    findings (tm.resolve())   threats on their element: pytm's likelihood
                              and severity on OTM's 0..100 scale, CWE and
                              CAPEC from the references

pytm's own `--json` output is not used: it drops each flow's protocol and
port. Elements outside any boundary go into a trust zone
"pytm-no-boundary". Output is deterministic (objects in the order the
model declared them).
"""

import importlib.util
import json
import os
import re
import sys

OTM_VERSION = "0.2.0"
NO_BOUNDARY = "pytm-no-boundary"
# pytm has no trust level: OTM's rating for Ward's default, `untrusted`.
BOUNDARY_TRUST_RATING = 33
# pytm's severity and likelihood words on OTM's 0..100 scale.
SEVERITY = {"very high": 100, "high": 75, "medium": 50, "low": 25, "very low": 0, "info": 0}


def load_model(path):
    """Runs the model file as a module; pytm registers what it declares."""
    directory = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location("pytm_model", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"pytm2otm: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from pytm import TM

    models = [v for v in vars(module).values() if isinstance(v, TM)]
    if len(models) != 1:
        raise SystemExit(
            f"pytm2otm: {path} must define exactly one TM, found {len(models)}"
        )
    return models[0]


def slug(text, used):
    """A stable id made of the name: lower case, `_` between words, unique."""
    base = re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "item"
    if base[0].isdigit():
        base = "n_" + base
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    used.add(candidate)
    return candidate


def text(value):
    return None if value in (None, "") else str(value)


def enum_name(value):
    return getattr(value, "name", None) or text(value)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    tm = load_model(argv[1])
    from pytm import TM, Actor, Boundary, Dataflow

    used = set()
    ids = {}

    def ident(obj):
        key = id(obj)
        if key not in ids:
            ids[key] = slug(getattr(obj, "name", "item"), used)
        return ids[key]

    boundaries = list(TM._boundaries)
    elements = [
        e
        for e in TM._elements
        if not isinstance(e, (Boundary, Dataflow))
    ]
    flows = list(TM._flows)
    data = list(TM._data)

    trust_zones = []
    for b in boundaries:
        zone = {
            "id": ident(b),
            "name": b.name,
            "type": "boundary",
            "description": text(getattr(b, "description", None)),
            "risk": {"trustRating": BOUNDARY_TRUST_RATING},
        }
        parent = getattr(b, "inBoundary", None)
        if parent is not None:
            zone["parent"] = {"trustZone": ident(parent)}
        trust_zones.append(zone)
    if any(getattr(e, "inBoundary", None) is None for e in elements):
        trust_zones.append(
            {
                "id": NO_BOUNDARY,
                "name": "Outside every pytm boundary",
                "type": "boundary",
                "risk": {"trustRating": BOUNDARY_TRUST_RATING},
            }
        )

    components = []
    for e in elements:
        boundary = getattr(e, "inBoundary", None)
        kind = "actor" if isinstance(e, Actor) else type(e).__name__.lower()
        attributes = {"pytmClass": type(e).__name__}
        for name in ("OS", "port", "protocol", "isEncrypted"):
            value = getattr(e, name, None)
            if value not in (None, "", -1):
                attributes[name] = value if isinstance(value, (bool, int)) else str(value)
        for otm_key, names in (
            ("inputValidation", ("validatesInput", "sanitizesInput")),
            ("outputEncoding", ("encodesOutput",)),
            ("accessControl", ("hasAccessControl", "authorizesSource")),
        ):
            if any(control(e, name) is True for name in names):
                attributes[otm_key] = True
        out_of_scope(e, attributes)
        components.append(
            {
                "id": ident(e),
                "name": e.name,
                "type": kind,
                "description": text(getattr(e, "description", None)),
                "parent": {"trustZone": ident(boundary) if boundary else NO_BOUNDARY},
                "attributes": attributes,
            }
        )

    assets = []
    for d in data:
        classification = enum_name(getattr(d, "classification", None))
        assets.append(
            {
                "id": ident(d),
                "name": d.name,
                "description": text(getattr(d, "description", None)),
                "risk": {
                    "confidentiality": classification_rating(getattr(d, "classification", None)),
                    "integrity": 50,
                    "availability": 50,
                    "comment": "pytm states a classification only; integrity and availability are not rated",
                },
                "attributes": {"classification": classification},
            }
        )

    dataflows = []
    for f in flows:
        attributes = {}
        for otm_key, name in (
            ("protocol", "protocol"),
            ("port", "dstPort"),
            ("srcPort", "srcPort"),
        ):
            value = getattr(f, name, None)
            if value not in (None, "", -1):
                attributes[otm_key] = value
        encrypted = bool(getattr(f, "isEncrypted", False))
        attributes["encryption"] = "encrypted" if encrypted else "none"
        for name in ("authenticatesDestination", "checksDestinationRevocation", "isEncrypted"):
            value = control(f, name)
            if isinstance(value, bool):
                attributes[name] = value
        controls = getattr(f, "controls", None)
        if controls is not None and isinstance(getattr(controls, "authenticatesSource", None), bool):
            attributes["authenticatesSource"] = controls.authenticatesSource
        if control(f, "usesMFA") is True:
            attributes["auth"] = "mfa"
        tls = tls_version(getattr(f, "tlsVersion", None))
        if tls is not None:
            attributes["tlsVersion"] = tls
        if isinstance(getattr(controls, "isEncrypted", None), bool):
            attributes["encryption"] = "encrypted" if controls.isEncrypted or encrypted else "none"
        note = text(getattr(f, "note", None))
        if note:
            attributes["note"] = note
        out_of_scope(f, attributes)
        flow_data = getattr(f, "data", None) or []
        if isinstance(flow_data, str) or not hasattr(flow_data, "__iter__"):
            flow_data = [flow_data]
        dataflows.append(
            {
                "id": ident(f),
                "name": f.name,
                "description": text(getattr(f, "description", None)),
                "bidirectional": False,
                "source": ident(f.source),
                "destination": ident(f.sink),
                "assets": [ident(d) for d in flow_data if d is not None],
                "attributes": attributes,
            }
        )

    threats, instances = findings(tm, ident)
    for obj in components + dataflows:
        if obj["id"] in instances:
            obj["threats"] = instances[obj["id"]]

    document = {
        "otmVersion": OTM_VERSION,
        "project": {
            "name": tm.name,
            "id": slug(tm.name, set()),
            "description": text(tm.description),
            "attributes": {"generator": "pytm2otm"},
        },
        "representations": [],
        "assets": assets,
        "trustZones": trust_zones,
        "components": components,
        "dataflows": dataflows,
        "threats": threats,
        "mitigations": [],
    }
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def control(obj, name):
    """A pytm control: on the object's `controls` (pytm 1.3+), else on the
    object itself (older pytm); None when pytm has no such attribute."""
    controls = getattr(obj, "controls", None)
    value = getattr(controls, name, None) if controls is not None else None
    return value if value is not None else getattr(obj, name, None)


def tls_version(value):
    """pytm's TLSVersion (TLSv10 .. TLSv13) in Ward's words; None for NONE
    and SSL versions, which state no TLS version."""
    match = re.search(r"TLSv1(\d)", enum_name(value) or "")
    return f"tls1_{match.group(1)}" if match else None


def out_of_scope(element, attributes):
    """pytm's `inScope = False` (pytm then makes no findings on it) in the
    attribute Ward's OTM export writes; pytm records no reason, so `ward
    import otm` writes one naming the source."""
    if getattr(element, "inScope", True) is False:
        attributes["outOfScope"] = True


def classification_rating(classification):
    value = getattr(classification, "value", None)
    if not isinstance(value, int):
        return 50
    # pytm: UNKNOWN 0, PUBLIC 1, RESTRICTED 2, SENSITIVE 3, SECRET 4, TOP_SECRET 5
    return max(0, min(100, value * 20))


def findings(tm, ident):
    """pytm's findings (its threat library applied to the model) as OTM
    threats, one per finding, and their instances on each element."""
    tm.check()
    tm.resolve()
    threats = []
    instances = {}
    used = set()
    for finding in getattr(tm, "findings", []) or []:
        element = getattr(finding, "element", None)
        if element is None:
            continue
        target = ident(element)
        threat_id = slug(f"{getattr(finding, 'threat_id', 'finding')}_{target}", used)
        severity = str(getattr(finding, "severity", "") or "").strip().lower()
        likelihood = str(getattr(finding, "likelihood", "") or "").strip().lower()
        references = str(getattr(finding, "references", "") or "")
        cwes = ["CWE-" + n for n in re.findall(r"cwe\.mitre\.org/data/definitions/(\d+)", references)]
        capecs = ["CAPEC-" + n for n in re.findall(r"capec\.mitre\.org/data/definitions/(\d+)", references)]
        threats.append(
            {
                "id": threat_id,
                "name": text(getattr(finding, "description", None)) or threat_id,
                "description": text(getattr(finding, "details", None)),
                "categories": [],
                "cwes": sorted(set(cwes), key=lambda c: int(c[4:])),
                "risk": {
                    "likelihood": SEVERITY.get(likelihood, 50),
                    "likelihoodComment": f"pytm likelihood {likelihood or 'not stated'}",
                    "impact": SEVERITY.get(severity, 50),
                    "impactComment": f"pytm severity {severity or 'not stated'}",
                },
                "attributes": {
                    "pytmThreat": getattr(finding, "threat_id", None),
                    "capec": sorted(set(capecs), key=lambda c: int(c[6:])),
                    "mitigations": text(getattr(finding, "mitigations", None)),
                },
            }
        )
        instances.setdefault(target, []).append(
            {"threat": threat_id, "state": "exposed", "mitigations": []}
        )
    return threats, instances


if __name__ == "__main__":
    sys.exit(main(sys.argv))
