//! A small OpenAPI 3.0 response validator.
//!
//! Loads Clerk's FAPI OpenAPI document (never copied into the repo: read from
//! `../shared/`), translates OpenAPI 3.0 schema dialect into JSON Schema draft 7
//! (`nullable` → `anyOf [null, …]`, `#/components/schemas/X` → `#/definitions/X`,
//! OpenAPI-only keywords dropped) and validates response bodies with the
//! `jsonschema` crate. `allOf`/`oneOf`/`anyOf`/`additionalProperties` keep their
//! JSON Schema meaning.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Map, Value};

/// Counters printed at the end of the suite.
pub static VALIDATED: AtomicUsize = AtomicUsize::new(0);
/// Error bodies whose status the document does not list for that path,
/// validated against the generic `ClerkErrors` schema instead.
pub static VALIDATED_AS_CLERK_ERRORS: AtomicUsize = AtomicUsize::new(0);
/// Bodies the document gives no schema for (e.g. `POST /v1/dev_browser` 200).
pub static NO_SCHEMA: AtomicUsize = AtomicUsize::new(0);
/// Backend API bodies validated against the BAPI document.
pub static BAPI_VALIDATED: AtomicUsize = AtomicUsize::new(0);

/// The loaded document, or why it is absent.
pub struct Spec {
    /// Counts validated bodies ([`VALIDATED`] or [`BAPI_VALIDATED`]).
    counter: &'static AtomicUsize,
    doc: Value,
    definitions: Value,
    paths: Vec<(String, regex_lite::Regex, usize)>,
    cache: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

fn spec_path(env: &str, file: &str) -> PathBuf {
    match std::env::var_os(env) {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared")
            .join(file),
    }
}

/// The FAPI document, loaded once; `None` (with a message printed once) when absent.
pub fn spec() -> Option<&'static Spec> {
    static SPEC: OnceLock<Option<Spec>> = OnceLock::new();
    SPEC.get_or_init(|| {
        load(
            spec_path("CLERK_FAPI_OPENAPI", "clerk-fapi-openapi-2026-05-12.yml"),
            &VALIDATED,
        )
    })
    .as_ref()
}

/// The Backend API document (paths relative to `/v1`), loaded once; `None` (with a
/// message printed once) when absent.
pub fn bapi_spec() -> Option<&'static Spec> {
    static SPEC: OnceLock<Option<Spec>> = OnceLock::new();
    SPEC.get_or_init(|| {
        load(
            spec_path("CLERK_BAPI_OPENAPI", "clerk-bapi-openapi-2026-05-12.yml"),
            &BAPI_VALIDATED,
        )
    })
    .as_ref()
}

fn load(path: PathBuf, counter: &'static AtomicUsize) -> Option<Spec> {
    {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                println!(
                    "SKIP OpenAPI validation: cannot read {} ({e}); behavioural assertions still run",
                    path.display()
                );
                return None;
            }
        };
        let doc: Value = match serde_yaml::from_str(&text) {
            Ok(d) => d,
            Err(e) => {
                println!(
                    "SKIP OpenAPI validation: {} is not valid YAML ({e})",
                    path.display()
                );
                return None;
            }
        };
        let schemas = doc
            .pointer("/components/schemas")
            .cloned()
            .unwrap_or(json!({}));
        let definitions = with_lagging_fields(translate(&schemas, true));
        let mut paths: Vec<(String, regex_lite::Regex, usize)> = doc["paths"]
            .as_object()
            .map(|m| {
                m.keys()
                    .filter_map(|p| {
                        let params = p.matches('{').count();
                        let re = format!(
                            "^{}$",
                            regex_lite::escape(p)
                                .replace("\\{", "{")
                                .replace("\\}", "}")
                        );
                        let re = regex_lite::Regex::new(r"\{[^}]+\}")
                            .ok()?
                            .replace_all(&re, "[^/]+")
                            .to_string();
                        Some((p.clone(), regex_lite::Regex::new(&re).ok()?, params))
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Prefer literal segments over templated ones (fewest parameters first).
        paths.sort_by_key(|(_, _, n)| *n);
        Some(Spec {
            counter,
            doc,
            definitions,
            paths,
            cache: Mutex::new(HashMap::new()),
        })
    }
}

/// Fields Clerk sends (clerk-js reads them) that the document does not list yet, on schemas
/// that forbid unlisted properties: (schema, field, its schema). Added only where the
/// schema exists and lacks the field, so a newer document wins; every other field stays
/// forbidden.
const LAGGING_FIELDS: &[(&str, &str, &str)] = &[
    // clerk-js `AuthConfig.sessionMinter` (resources/AuthConfig.ts).
    (
        "Client.AuthConfig",
        "session_minter",
        r#"{"type": "boolean"}"#,
    ),
];

fn with_lagging_fields(mut definitions: Value) -> Value {
    for (schema, field, field_schema) in LAGGING_FIELDS {
        let Some(props) = definitions
            .get_mut(*schema)
            .and_then(|s| s.get_mut("properties"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if let (false, Ok(v)) = (
            props.contains_key(*field),
            serde_json::from_str::<Value>(field_schema),
        ) {
            props.insert((*field).to_string(), v);
        }
    }
    definitions
}

/// OpenAPI 3.0 schema → JSON Schema draft 7.
fn translate(v: &Value, is_definitions_map: bool) -> Value {
    match v {
        Value::Object(m) if is_definitions_map => Value::Object(
            m.iter()
                .map(|(k, s)| (k.clone(), translate(s, false)))
                .collect(),
        ),
        Value::Object(m) => {
            let mut out = Map::new();
            let mut nullable = false;
            for (k, val) in m {
                match k.as_str() {
                    "nullable" => nullable = val.as_bool().unwrap_or(false),
                    "$ref" => {
                        let r = val
                            .as_str()
                            .unwrap_or_default()
                            .replace("#/components/schemas/", "#/definitions/");
                        out.insert("$ref".into(), json!(r));
                    }
                    "example" | "examples" | "discriminator" | "xml" | "externalDocs"
                    | "deprecated" | "readOnly" | "writeOnly" | "description" | "title"
                    | "format" => {}
                    k if k.starts_with("x-") => {}
                    "properties" => {
                        let props = val
                            .as_object()
                            .map(|p| {
                                p.iter()
                                    .map(|(pk, pv)| (pk.clone(), translate(pv, false)))
                                    .collect()
                            })
                            .unwrap_or_default();
                        out.insert(k.into(), Value::Object(props));
                    }
                    "items" | "additionalProperties" | "not" => {
                        out.insert(k.into(), translate(val, false));
                    }
                    "allOf" | "oneOf" | "anyOf" => {
                        let list = val
                            .as_array()
                            .map(|a| a.iter().map(|x| translate(x, false)).collect())
                            .unwrap_or_default();
                        out.insert(k.into(), Value::Array(list));
                    }
                    _ => {
                        out.insert(k.clone(), val.clone());
                    }
                }
            }
            // Draft 7 ignores keywords next to `$ref`: wrap it.
            if out.contains_key("$ref") && out.len() > 1 {
                let r = out.remove("$ref").unwrap_or(Value::Null);
                let mut all = out
                    .remove("allOf")
                    .and_then(|a| a.as_array().cloned())
                    .unwrap_or_default();
                all.push(json!({"$ref": r}));
                out.insert("allOf".into(), Value::Array(all));
            }
            // An enum on a nullable property must allow null too; handled by the anyOf below.
            let schema = Value::Object(out);
            if nullable {
                json!({"anyOf": [{"type": "null"}, schema]})
            } else {
                schema
            }
        }
        other => other.clone(),
    }
}

impl Spec {
    fn resolve<'a>(&'a self, mut v: &'a Value) -> &'a Value {
        for _ in 0..8 {
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#') {
                    Some(ptr) => v = self.doc.pointer(ptr).unwrap_or(&Value::Null),
                    None => break,
                },
                None => break,
            }
        }
        v
    }

    /// The OpenAPI path template matching a concrete path.
    pub fn template_for(&self, path: &str) -> Option<&str> {
        self.paths
            .iter()
            .find(|(_, re, _)| re.is_match(path))
            .map(|(p, _, _)| p.as_str())
    }

    /// The raw (OpenAPI) response schema for template+method+status, if any.
    fn response_schema(
        &self,
        template: &str,
        method: &str,
        status: u16,
    ) -> Result<Option<Value>, String> {
        let op = self.doc["paths"][template]
            .get(method.to_ascii_lowercase())
            .ok_or_else(|| format!("{method} {template} is not in the OpenAPI document"))?;
        let responses = &op["responses"];
        let resp = responses
            .get(status.to_string())
            .or_else(|| responses.get("default"));
        let Some(resp) = resp else {
            return Err(format!("status {status} not documented"));
        };
        let resp = self.resolve(resp);
        Ok(resp.pointer("/content/application~1json/schema").cloned())
    }

    fn validator(&self, key: &str, schema: &Value) -> Result<Arc<jsonschema::Validator>, String> {
        if let Some(v) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
        {
            return Ok(v.clone());
        }
        let mut root = translate(schema, false);
        if root.get("$ref").is_some() {
            root = json!({"allOf": [root]});
        }
        if let Value::Object(m) = &mut root {
            m.insert("definitions".into(), self.definitions.clone());
        }
        let v = Arc::new(
            jsonschema::draft7::new(&root)
                .map_err(|e| format!("schema for {key} does not compile: {e}"))?,
        );
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_string(), v.clone());
        Ok(v)
    }

    /// Validates `body` as the response to `method path` with `status`.
    /// Returns Err with every schema violation.
    pub fn validate(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), String> {
        let looked_up = match self.template_for(path) {
            Some(t) => self.response_schema(t, method, status).map(|s| (t, s)),
            None => Err(format!("{path} matches no OpenAPI path")),
        };
        let template = looked_up.as_ref().map(|(t, _)| *t).unwrap_or("?");
        let (key, schema, fallback) = match looked_up.map(|(_, s)| s) {
            Ok(Some(s)) => (format!("{method} {template} {status}"), s, false),
            Ok(None) => {
                NO_SCHEMA.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            Err(_) if status >= 400 => (
                "ClerkErrors".to_string(),
                json!({"$ref": "#/components/schemas/ClerkErrors"}),
                true,
            ),
            Err(e) => return Err(format!("{method} {path} ({template}) → {status}: {e}")),
        };
        let validator = self.validator(&key, &schema)?;
        let errors: Vec<String> = validator
            .iter_errors(body)
            .take(12)
            .map(|e| format!("  at {}: {}", e.instance_path, e))
            .collect();
        if !errors.is_empty() {
            return Err(format!(
                "{method} {path} → {status} violates `{key}`:\n{}\nbody: {}",
                errors.join("\n"),
                truncate(&body.to_string(), 1500)
            ));
        }
        if fallback {
            VALIDATED_AS_CLERK_ERRORS.fetch_add(1, Ordering::Relaxed);
        }
        self.counter.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n {
        s.to_string()
    } else {
        let mut end = n;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    }
}
