// Tokenizes Ward sources with the TextMate grammar, as VS Code does, and
// checks the scopes given to each construct of the language spec (§1-2).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { describe, it } = require('node:test');

const { tokenize } = require('./support/tokenize');
const { repoRoot, wardFilesUnder, wardBlocksIn, bracketsBalance } = require('./support/ward-source');

// From the spec, kept apart from syntaxes/build-grammar.js so that a change
// there cannot silently change what is tested.
const DECLARATION_KEYWORDS = [
  'system', 'zone', 'data', 'component', 'actor', 'flow', 'hazard', 'threat', 'rule',
  'control', 'verification', 'assumption', 'accept', 'usecase', 'policy', 'approval', 'software',
  'vulnerability', 'anomaly', 'monitoring', 'disposition',
];
const LEVELS = [
  'negligible', 'minor', 'serious', 'critical', 'catastrophic', 'very_low', 'low', 'moderate',
  'high', 'very_high', 'none', 'medium', 'hostile', 'untrusted', 'controlled', 'trusted',
  'acceptable', 'review', 'unacceptable',
];
const STRIDE = [
  'spoofing', 'tampering', 'repudiation', 'information_disclosure', 'denial_of_service',
  'elevation_of_privilege',
];

/** The tokens of `source` whose text is `text`, in order. */
async function tokensOf(source, text) {
  const { lines } = await tokenize(source);
  return lines.flat().filter((token) => token.text === text);
}

/** The scopes of the `nth` token (0-based) whose text is exactly `text`. */
async function scopesOf(source, text, nth = 0) {
  const found = await tokensOf(source, text);
  assert.ok(found.length > nth, `no token ${JSON.stringify(text)} (#${nth}) in:\n${source}`);
  return found[nth].scopes;
}

/** Asserts that the `nth` token `text` of `source` has `scope` as its innermost scope. */
async function assertScope(source, text, scope, nth = 0) {
  const scopes = await scopesOf(source, text, nth);
  assert.equal(scopes.at(-1), scope, `${JSON.stringify(text)} #${nth} has scopes ${scopes.join(' ')}`);
}

/** Asserts that the `nth` token `text` has `scope` somewhere in its scope stack. */
async function assertWithin(source, text, scope, nth = 0) {
  const scopes = await scopesOf(source, text, nth);
  assert.ok(scopes.includes(scope), `${JSON.stringify(text)} #${nth} has scopes ${scopes.join(' ')}, not ${scope}`);
}

/** Asserts that no part of the `nth` token `text` is scoped with `prefix`. */
async function assertNotScoped(source, text, prefix, nth = 0) {
  const scopes = await scopesOf(source, text, nth);
  assert.ok(!scopes.some((s) => s.startsWith(prefix)), `${JSON.stringify(text)} #${nth} has scopes ${scopes.join(' ')}`);
}

async function assertAllRegionsClosed(source) {
  const { openScopes } = await tokenize(source);
  assert.deepEqual(openScopes, ['source.ward'], `regions left open at the end of:\n${source}`);
}

// ---------------------------------------------------------------------------
// Snippets from the language spec §2 (one per declaration kind) and Appendix A.
const SPEC = {
  system: `system acme_pump "Acme Insulin Delivery System" {
  version: "2.1.0"
  description: """
    Patch pump, CGM and companion app, with a cloud service for clinicians.
  """
  intended_use: "Subcutaneous insulin delivery controlled from a phone app"
  policy: std::policy::iso14971_5x5
  out_of_scope: ["Hospital EHR internals"]
  lifecycle: [design, manufacturing, deployment, maintenance, decommissioning]
  overall_residual: "Overall residual cybersecurity risk is acceptable (RMR-2026-01)."
  approved_by: "Risk review board"
}`,
  use: `use std::stride        // the STRIDE rule set; its rules apply to the model
use std::fda           // adds the FDA control-category coverage check
use "shared/cloud.ward"  // relative to the folder of the file that contains it`,
  zone: `zone internet "Internet" { trust: hostile }
zone home "Patient home" { trust: untrusted, physical_access: true, controlled_by: patient }
zone cloud "Acme cloud" { trust: controlled }
zone pump_hw "Pump enclosure" in home { trust: trusted }`,
  data: `data dose_cmd "Insulin dose command" {
  kind: command          // command | phi | credential | firmware | config | log | telemetry | other
  confidentiality: low   // none | low | medium | high
  integrity: high
  availability: high
  hazards {              // the safety consequence of losing each property
    integrity: [overdose]
    availability: [missed_dose]
  }
}`,
  component: `component pump "Insulin pump" in pump_hw {
  kind: device           // device | firmware | mobile_app | web_app | service | gateway | datastore | cloud_service | process
  stores: [dose_log]
  software: ["pump-fw 4.2.0", "nordic-softdevice 7.2"]
  interfaces: [ble, usb, jtag]   // debug ones (jtag, swd, uart) feed std::stride rules
  fleet: per_patient     // per_patient | shared (one instance serves many patients)
  hazards { integrity: [overdose], availability: [missed_dose] }  // of its own function
}
actor patient "Patient" in home { kind: human }                 // human | external_system
actor cgm_vendor "CGM vendor API" in internet { kind: external_system }`,
  flow: `flow f_dose: app -> pump "Bolus command" {
  protocol: ble
  carries: [dose_cmd]
  authenticated: true
  encrypted: true
  integrity_protected: true
}
flow f_sync: app <-> cloud_api "Sync" { protocol: https, carries: [glucose] }`,
  hazard: `hazard overdose "Insulin over-delivery" {
  hazardous_situation: "Pump delivers a bolus the patient did not intend"
  harm: "Severe hypoglycaemia, seizure, death"
  severity: catastrophic   // a level of the policy's severity scale
  rmf_ref: "HA-017"        // its id in the ISO 14971 risk management file
}`,
  threat: `threat replay_bolus "Replay of a captured bolus command" {
  stride: [tampering, spoofing]
  targets: [f_dose]         // flows, components or actors
  hazards: [overdose]       // a list here: added to those derived from the data
  exploitability: moderate  // a level of the policy's scale
  // or, instead (giving both is an error, reported at \`cvss\`):
  // cvss: "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H"
  capec: [60]
  cwe: [294]
  description: "..."
}`,
  rule: `rule unauthenticated_crossing "Spoofing of {source} on unauthenticated {protocol} flow {id}" {
  stride: spoofing
  applies_to: flow          // flow | component | actor
  when: crosses_boundary and not authenticated
  exploitability: high
  capec: [151]
  cwe: [306]
  suggest: [authentication] // FDA control categories that address it
}`,
  control: `control ble_auth "Mutual authentication of app and pump" {
  id: "SR-012"                 // requirement id; defaults to the control's id
  category: authentication     // an FDA security control category, see §5
  mitigates: [replay_bolus, unauthenticated_crossing@f_telemetry]
  reduces: 2                   // exploitability levels it removes
  independent: false           // true: its reduction adds to others' (§4.7)
  residual_exploitability: low // optional: residual exploitability at most this level (§4.7)
  limits { overdose: serious } // harm-limiting: caps a hazard's severity
  option: protective_measure   // inherent_safety | protective_measure | information_for_safety
  requirement: "The pump shall reject any command not authenticated with a bonded key."
  acceptance: "100% of forged or replayed commands rejected in VT-102"
  implemented_in: [pump, app]
  verification: [vt_102, test "Bench check of pairing UI"]
  status: verified             // proposed | implemented | verified
}`,
  verification: `verification vt_102 "BLE spoofing and replay test" {
  type: threat_mitigation      // security_requirements | threat_mitigation | vulnerability | penetration
  method: test                 // test | analysis | inspection | demonstration
  report: "TR-2026-031"
  result: pass                 // pass | fail | pending
  independent: true            // performed by testers independent of the developers
  scope: [pump, app]           // elements covered
}`,
  assumption: `assumption hcf_hostile "The hospital network is hostile" {
  rationale: "FDA guidance: assume an adversary can alter, drop and replay packets"
  applies_to: [home]           // zones or elements
}`,
  accept: `accept unauthenticated_crossing@f_telemetry {
  level: review                 // the residual risk level accepted
  rationale: "Telemetry carries no safety-relevant data"
  benefit: "Needed for remote monitoring by the care team"
  benefit_risk: "BRA-2026-03"   // required when level is unacceptable
  approved_by: "Risk review board, RR-2026-14"
}`,
  usecase: `usecase remote_bolus "Remote bolus from the app" {
  state: therapy                // the clinical or operational state it runs in
  steps: [f_login, f_dose, f_dose_ack]   // flows, in order
}`,
  policy: `policy clinic_sop "Acme SOP-RM-004 risk matrix" {
  severity: [negligible, minor, serious, critical, catastrophic]
  exploitability: [very_low, low, moderate, high, very_high]
  exploitability_criteria {
    very_low: "Invasive hardware attack or nation-state resources"
    low: "Physical or local access, high complexity"
    moderate: "Short-range wireless or LAN, some preconditions"
    high: "Network access, low complexity"
    very_high: "Remote, no authentication, public exploit or KEV-listed"
  }
  matrix {
    //            very_low    low         moderate      high          very_high
    negligible:   [acceptable, acceptable, acceptable,   acceptable,   acceptable]
    minor:        [acceptable, acceptable, acceptable,   review,       review]
    serious:      [acceptable, acceptable, review,       review,       unacceptable]
    critical:     [acceptable, review,     review,       unacceptable, unacceptable]
    catastrophic: [review,     review,     unacceptable, unacceptable, unacceptable]
  }
  security_impact: [none, low, medium, high]
  security_matrix {
    none:   [acceptable, acceptable, acceptable, acceptable,   acceptable]
    low:    [acceptable, acceptable, acceptable, review,       review]
    medium: [acceptable, acceptable, review,     review,       unacceptable]
    high:   [acceptable, review,     review,     unacceptable, unacceptable]
  }
  cvss_exploitability_bands: [0.5, 1.5, 2.5, 3.5]  // lower bounds on the CVSS exploitability sub-score
  controlled: [acceptable]      // residual levels that count as controlled
  require_verified: false       // true: judge acceptability on verified controls only
  transfer_basis: "Ward hands the hazard, the hazardous situation and the exploitability to the ISO 14971 risk management file; the risk management file estimates the probability of harm (SOP-RM-004 6.3)"
}`,
};

const APPENDIX_A = fs.readFileSync(path.join(__dirname, 'fixtures', 'appendix-a.ward'), 'utf8');

/**
 * Checks that hold for any Ward text: it tokenizes, every line that starts
 * (unindented) with a declaration keyword or `use` gives that word the keyword
 * scope, and when the brackets balance no region stays open at the end.
 */
async function assertWellTokenized(source, where) {
  const { lines, openScopes } = await tokenize(source);
  lines.forEach((tokens, index) => {
    const lineText = tokens.map((token) => token.text).join('');
    const match = /^([a-z]+)\b(?!\s*[:{])/.exec(lineText);
    if (!match) return;
    const first = tokens[0];
    // A line inside a multi-line string or block comment is not code.
    if (first.scopes.some((s) => s.startsWith('string.quoted.triple') || s === 'comment.block.ward')) return;
    const word = match[1];
    if (word === 'use') {
      assert.equal(first.scopes.at(-1), 'keyword.other.use.ward', `${where}:${index + 1}: ${lineText}`);
    } else if (DECLARATION_KEYWORDS.includes(word)) {
      assert.equal(first.text, word, `${where}:${index + 1}: ${lineText}`);
      assert.equal(first.scopes.at(-1), 'keyword.declaration.ward', `${where}:${index + 1}: ${lineText}`);
      assert.deepEqual(first.scopes.filter((s) => !s.startsWith('meta.declaration.')), ['source.ward', 'keyword.declaration.ward'],
        `${where}:${index + 1}: a declaration keyword at line start must be at top level: ${lineText}`);
    }
  });
  if (bracketsBalance(source)) {
    assert.deepEqual(openScopes, ['source.ward'], `${where}: brackets balance, yet the grammar left regions open`);
  }
}

describe('declaration keywords and ids', () => {
  for (const [keyword, source] of Object.entries(SPEC)) {
    if (keyword === 'use') continue;
    it(`${keyword}: keyword, declared id, well tokenized`, async () => {
      await assertScope(source, keyword, 'keyword.declaration.ward');
      await assertWellTokenized(source, `spec §2 ${keyword}`);
      await assertAllRegionsClosed(source);
    });
  }

  it('gives the declared id after every keyword but accept entity.name.type.ward', async () => {
    const ids = {
      system: 'acme_pump', zone: 'internet', data: 'dose_cmd', component: 'pump', flow: 'f_dose',
      hazard: 'overdose', threat: 'replay_bolus', rule: 'unauthenticated_crossing',
      control: 'ble_auth', verification: 'vt_102', assumption: 'hcf_hostile',
      usecase: 'remote_bolus', policy: 'clinic_sop',
    };
    for (const [keyword, id] of Object.entries(ids)) {
      await assertScope(SPEC[keyword], id, 'entity.name.type.ward');
    }
    await assertScope(SPEC.component, 'patient', 'entity.name.type.ward');
    await assertScope(SPEC.flow, 'f_sync', 'entity.name.type.ward');
  });

  it('does not take `in` for the id, and scopes it as a word operator', async () => {
    await assertScope(SPEC.zone, 'in', 'keyword.operator.word.ward');
    await assertScope('component in home {}', 'in', 'keyword.operator.word.ward');
  });

  it('declares no id with accept', async () => {
    await assertScope(SPEC.accept, 'unauthenticated_crossing', 'entity.name.function.rule.ward');
    await assertNotScoped(SPEC.accept, 'unauthenticated_crossing', 'entity.name.type');
  });

  it('scopes use and its path or string', async () => {
    await assertScope(SPEC.use, 'use', 'keyword.other.use.ward');
    await assertScope(SPEC.use, 'std', 'entity.name.namespace.ward');
    await assertScope(SPEC.use, 'stride', 'entity.name.namespace.ward');
    await assertWithin(SPEC.use, 'stride', 'meta.path.ward');
    await assertScope(SPEC.use, '::', 'keyword.operator.ward');
    await assertScope(SPEC.use, 'shared/cloud.ward', 'string.quoted.double.ward');
  });

  it('does not treat reserved words used as values or keys as declarations', async () => {
    await assertScope(SPEC.rule, 'flow', 'constant.language.enum.ward');
    await assertScope(SPEC.system, 'policy', 'support.type.property-name.ward');
    await assertScope(SPEC.control, 'verification', 'support.type.property-name.ward');
    const kinds = 'rule r "t" {\n  applies_to: [\n    flow,\n    component\n  ]\n  stride: spoofing\n}';
    await assertScope(kinds, 'flow', 'constant.language.enum.ward');
    await assertScope(kinds, 'component', 'constant.language.enum.ward');
    await assertScope(kinds, 'stride', 'support.type.property-name.ward');
    await assertAllRegionsClosed(kinds);
  });
});

describe('properties', () => {
  it('scopes `key:` and block `key {` as property names', async () => {
    await assertScope(SPEC.data, 'kind', 'support.type.property-name.ward');
    await assertScope(SPEC.data, ':', 'punctuation.separator.key-value.ward');
    await assertScope(SPEC.data, 'hazards', 'support.type.property-name.ward');
    await assertScope(SPEC.data, 'integrity', 'support.type.property-name.ward', 1);
    await assertScope(SPEC.control, 'limits', 'support.type.property-name.ward');
    await assertScope(SPEC.control, 'overdose', 'support.type.property-name.ward');
    await assertScope(SPEC.policy, 'matrix', 'support.type.property-name.ward');
    await assertScope(SPEC.policy, 'negligible', 'support.type.property-name.ward', 1);
    await assertScope(SPEC.zone, 'physical_access', 'support.type.property-name.ward');
  });

  it('scopes values of kind-like properties as enum constants, ids not', async () => {
    await assertScope(SPEC.component, 'device', 'constant.language.enum.ward');
    await assertScope(SPEC.component, 'jtag', 'constant.language.enum.ward');
    await assertScope(SPEC.flow, 'ble', 'constant.language.enum.ward');
    await assertScope(SPEC.control, 'authentication', 'constant.language.enum.ward');
    await assertScope(SPEC.verification, 'test', 'constant.language.enum.ward');
    await assertScope(SPEC.rule, 'authentication', 'constant.language.enum.ward');
    await assertScope(SPEC.control, 'test', 'constant.language.method.ward');
    await assertNotScoped(SPEC.control, 'vt_102', 'constant');
    await assertNotScoped(SPEC.control, 'replay_bolus', 'constant');
  });
});

describe('strings', () => {
  it('scopes double-quoted strings and their escapes', async () => {
    const source = String.raw`control c "Esc \" \\ \n \t \u{1F600} end" {}`;
    await assertWithin(source, 'Esc ', 'string.quoted.double.ward');
    for (const escape of ['\\"', '\\\\', '\\n', '\\t', '\\u{1F600}']) {
      await assertScope(source, escape, 'constant.character.escape.ward');
      await assertWithin(source, escape, 'string.quoted.double.ward');
    }
    await assertScope(source, 'c', 'entity.name.type.ward');
    await assertAllRegionsClosed(source);
  });

  it('marks an unknown escape as invalid', async () => {
    await assertScope(String.raw`zone z "a \q b" {}`, '\\q', 'invalid.illegal.escape.ward');
  });

  it('ends an unterminated string at the end of its line', async () => {
    const source = 'zone z "no end {\nzone y "Y" {}';
    await assertScope(source, 'y', 'entity.name.type.ward');
    await assertScope(source, 'zone', 'keyword.declaration.ward', 1);
  });

  it('scopes triple-quoted strings across lines, with escapes', async () => {
    await assertScope(SPEC.system, '"""', 'punctuation.definition.string.begin.ward');
    await assertWithin(SPEC.system, '    Patch pump, CGM and companion app, with a cloud service for clinicians.', 'string.quoted.triple.ward');
    await assertScope(SPEC.system, '"""', 'punctuation.definition.string.end.ward', 1);
    const source = 'hazard h {\n  harm: """\n    a "quoted" \\t word\n    component x {\n  """\n}';
    await assertScope(source, '\\t', 'constant.character.escape.ward');
    await assertWithin(source, '    component x {', 'string.quoted.triple.ward');
    await assertAllRegionsClosed(source);
  });

  it('scopes title placeholders in rule titles only', async () => {
    await assertWithin(SPEC.rule, 'source', 'variable.other.placeholder.ward');
    await assertWithin(SPEC.rule, 'protocol', 'variable.other.placeholder.ward');
    await assertScope(SPEC.rule, '{', 'punctuation.definition.placeholder.begin.ward');
    await assertWithin(SPEC.rule, '{', 'string.quoted.double.ward');
    const dotted = 'rule r "{source.zone.trust} {{literal}}" { stride: spoofing }';
    await assertWithin(dotted, 'source.zone.trust', 'variable.other.placeholder.ward');
    await assertScope(dotted, '{{', 'constant.character.escape.ward');
    await assertScope(dotted, '}}', 'constant.character.escape.ward');
    await assertAllRegionsClosed(dotted);
    // Other titles take braces literally (spec §2, rule).
    await assertScope('zone z "A {source} zone" {}', 'A {source} zone', 'string.quoted.double.ward');
  });
});

describe('comments', () => {
  it('scopes line comments', async () => {
    await assertScope(SPEC.data, '//', 'punctuation.definition.comment.ward');
    await assertWithin(SPEC.data, ' none | low | medium | high', 'comment.line.double-slash.ward');
  });

  it('scopes /// as documentation, but not ////', async () => {
    const source = '/// The pump.\n//// banner\ncomponent pump in home {}';
    await assertWithin(source, ' The pump.', 'comment.line.documentation.ward');
    await assertWithin(source, '// banner', 'comment.line.double-slash.ward');
    await assertScope(source, 'pump', 'entity.name.type.ward');
  });

  it('nests block comments', async () => {
    const source = '/* outer /* inner */ still comment */ zone z {}';
    await assertWithin(source, ' still comment ', 'comment.block.ward');
    await assertScope(source, 'zone', 'keyword.declaration.ward');
    const multi = '/*\nzone a {}\n/* nested\n*/\nzone b {}\n*/\nzone c {}';
    await assertWithin(multi, 'zone b {}', 'comment.block.ward');
    await assertScope(multi, 'zone', 'keyword.declaration.ward');
    await assertScope(multi, 'c', 'entity.name.type.ward');
    await assertAllRegionsClosed(multi);
  });

  it('keeps comment text out of strings', async () => {
    await assertScope('zone z "a // b" {}', 'a // b', 'string.quoted.double.ward');
  });
});

describe('values', () => {
  it('scopes every level word of the std policy, trust and risk', async () => {
    for (const level of LEVELS) {
      await assertScope(`hazard h { severity: ${level} }`, level, 'constant.language.level.ward');
    }
    await assertScope(SPEC.policy, 'very_high', 'constant.language.level.ward');
    await assertScope(SPEC.policy, 'unacceptable', 'constant.language.level.ward');
    await assertNotScoped('data very_lowish { kind: log }', 'very_lowish', 'constant');
  });

  it('scopes STRIDE values', async () => {
    for (const value of STRIDE) {
      await assertScope(`threat t { stride: [${value}] }`, value, 'constant.language.stride.ward');
    }
  });

  it('scopes numbers and booleans', async () => {
    await assertScope(SPEC.threat, '60', 'constant.numeric.ward');
    await assertScope(SPEC.policy, '0.5', 'constant.numeric.ward');
    await assertScope(SPEC.control, '2', 'constant.numeric.ward');
    await assertScope(SPEC.flow, 'true', 'constant.language.boolean.ward');
    await assertScope(SPEC.control, 'false', 'constant.language.boolean.ward');
    await assertNotScoped(SPEC.system, 'iso14971_5x5', 'constant.numeric');
  });

  it('scopes paths', async () => {
    for (const segment of ['std', 'policy', 'iso14971_5x5']) {
      await assertScope('system s { policy: std::policy::iso14971_5x5 }', segment, 'entity.name.namespace.ward', segment === 'policy' ? 1 : 0);
    }
  });

  it('scopes RULE@ELEMENT references and .reverse', async () => {
    const source = 'control c {\n  mitigates: [unauthenticated_crossing@f_telemetry, replay@f_sync.reverse]\n}\nusecase u { steps: [f_login, f_sync.reverse] }';
    await assertScope(source, 'unauthenticated_crossing', 'entity.name.function.rule.ward');
    await assertScope(source, '@', 'keyword.operator.ward');
    await assertScope(source, 'f_telemetry', 'variable.other.element.ward');
    await assertWithin(source, 'f_telemetry', 'meta.reference.threat.ward');
    await assertScope(source, 'reverse', 'variable.language.reverse.ward');
    await assertScope(source, 'reverse', 'variable.language.reverse.ward', 1);
    await assertScope(source, '.', 'punctuation.accessor.ward', 1);
  });
});

describe('operators', () => {
  it('scopes flow arrows', async () => {
    await assertScope(SPEC.flow, '->', 'keyword.operator.ward');
    await assertScope(SPEC.flow, '<->', 'keyword.operator.ward');
    await assertScope(SPEC.flow, ':', 'punctuation.separator.colon.ward');
  });

  it('scopes comparison and word operators in `when`', async () => {
    for (const op of ['==', '!=', '<=', '>=', '<', '>']) {
      const source = `rule r { when: source.zone.trust ${op} controlled }`;
      await assertScope(source, op, 'keyword.operator.ward');
      await assertScope(source, 'controlled', 'constant.language.level.ward');
    }
    for (const word of ['and', 'or', 'not', 'in']) {
      const source = 'rule r { when: (not a and b) or ble in interfaces }';
      await assertScope(source, word, 'keyword.operator.word.ward');
    }
    await assertScope(SPEC.rule, 'and', 'keyword.operator.word.ward');
  });

  it('scopes a multi-line `when` in parentheses, with calls', async () => {
    const source = 'rule r "t" {\n  stride: tampering\n  when: (carries_kind(firmware)\n        and not has_interface(usb))\n  exploitability: low\n}';
    await assertScope(source, 'carries_kind', 'support.function.ward');
    await assertScope(source, 'has_interface', 'support.function.ward');
    await assertWithin(source, 'and', 'meta.group.ward');
    await assertScope(source, 'exploitability', 'support.type.property-name.ward');
    await assertAllRegionsClosed(source);
  });
});

describe('error recovery', () => {
  it('ends an unclosed block at the next declaration line, as the parser does', async () => {
    const source = 'component a "A" in home {\n  kind: device\n  interfaces: [ble, usb\ncomponent b in home {}\nzone z {}';
    await assertScope(source, 'b', 'entity.name.type.ward');
    const scopes = await scopesOf(source, 'component', 1);
    assert.deepEqual(scopes, ['source.ward', 'keyword.declaration.ward']);
    await assertAllRegionsClosed(source);
  });

  it('does not end a block at a property whose key is a reserved word', async () => {
    const source = 'control c {\n  verification: [vt_1]\n  status: verified\n}';
    await assertWithin(source, 'status', 'meta.block.ward');
    await assertAllRegionsClosed(source);
  });
});

describe('the complete model of Appendix A', () => {
  it('tokenizes with keywords at every declaration and nothing left open', async () => {
    await assertWellTokenized(APPENDIX_A, 'appendix-a.ward');
    await assertAllRegionsClosed(APPENDIX_A);
    const keywords = (await tokenize(APPENDIX_A)).lines.flat()
      .filter((token) => token.scopes.at(-1) === 'keyword.declaration.ward').map((token) => token.text);
    assert.deepEqual([...new Set(keywords)].sort(), [
      'accept', 'actor', 'component', 'control', 'data', 'flow', 'hazard', 'system', 'threat',
      'usecase', 'verification', 'zone',
    ]);
  });
});

const root = repoRoot();
const insideRepository = fs.existsSync(path.join(root, 'Cargo.toml'));
// A copy of editors/vscode outside the repository has no model files to read;
// a root named by WARD_REPO_ROOT must exist.
const skipRepository = !insideRepository && !process.env.WARD_REPO_ROOT
  && `not inside the Ward repository (${root}); set WARD_REPO_ROOT to test its files`;

describe('the Ward files of the repository', { skip: skipRepository }, () => {
  const files = ['examples', 'stdlib'].flatMap((dir) => wardFilesUnder(path.join(root, dir)));
  it(`finds the repository at ${root}`, () => {
    assert.ok(insideRepository, `no Cargo.toml in ${root}`);
  });
  for (const file of files) {
    const name = path.relative(root, file);
    it(`${name} tokenizes, with keyword scopes on every declaration line`, async () => {
      await assertWellTokenized(fs.readFileSync(file, 'utf8'), name);
    });
  }

  const markdown = [];
  const walkDocs = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walkDocs(full);
      else if (entry.name.endsWith('.md')) markdown.push(full);
    }
  };
  walkDocs(path.join(root, 'docs'));
  for (const file of markdown.sort()) {
    const blocks = wardBlocksIn(fs.readFileSync(file, 'utf8'));
    if (blocks.length === 0) continue;
    const name = path.relative(root, file);
    it(`the ward blocks of ${name} tokenize`, async () => {
      for (const block of blocks) {
        await assertWellTokenized(block.text, `${name}:${block.line}`);
      }
    });
  }
});
