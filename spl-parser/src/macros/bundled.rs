//! Standard macros that security_content detections call but do not define:
//! they ship with the Splunk Common Information Model add-on (Splunk_SA_CIM)
//! or Enterprise Security. The list is what the corpus calls without defining
//! (`macros_corpus_called_but_undefined` in `tests/macros_corpus.rs` keeps it
//! honest). Each entry cites its source; `docs/compat-notes/macros.md` says
//! how exact each reproduction is. Lookups they reference are reported by the
//! engine at run time when absent.

use super::MacroDef;

struct Bundled {
    name: &'static str,
    args: &'static [&'static str],
    definition: &'static str,
}

// ES asset lookup output fields (ES "Asset lookup fields" documentation).
// `get_asset` prefixes each with the field being enriched.
const ASSET_FIELDS: &[&str] = &[
    "asset_id",
    "asset_tag",
    "bunit",
    "category",
    "city",
    "country",
    "dns",
    "ip",
    "is_expected",
    "lat",
    "long",
    "mac",
    "nt_host",
    "owner",
    "pci_domain",
    "priority",
    "requires_av",
    "should_timesync",
    "should_update",
];

const BUNDLED: &[Bundled] = &[
    // Splunk_SA_CIM default/macros.conf `[drop_dm_object_name(1)]`, args = object:
    // strips the data-model dataset prefix tstats puts on every field.
    Bundled {
        name: "drop_dm_object_name",
        args: &["object"],
        definition: "rename $object$.* AS *",
    },
    // Splunk_SA_CIM `[cim_corporate_web_domain_search(1)]`: a subsearch over the
    // corporate web domain lookup, renamed to the caller's field, used as
    // `NOT (`cim_corporate_web_domain_search("DNS.query")`)`.
    Bundled {
        name: "cim_corporate_web_domain_search",
        args: &["domain_field"],
        definition: "[| inputlookup cim_corporate_web_domain_lookup | rename domain AS $domain_field$ | fields $domain_field$]",
    },
    // Enterprise Security (SA-IdentityManagement) `[get_notable_index]`.
    Bundled {
        name: "get_notable_index",
        args: &[],
        definition: "index=notable",
    },
    // Enterprise Security (SA-ThreatIntelligence) `[notable]`, abridged: ES
    // follows the index with suppression/status/owner/urgency enrichment macros
    // backed by ES KV-store collections, which an offline engine cannot have.
    Bundled {
        name: "notable",
        args: &[],
        definition: "`get_notable_index`",
    },
];

/// The bundled definitions, origin `"bundled"`.
pub(crate) fn bundled_macros() -> Vec<MacroDef> {
    let mut out: Vec<MacroDef> = BUNDLED
        .iter()
        .map(|b| bundled_def(b.name, b.args, b.definition.to_string()))
        .collect();
    out.push(bundled_def("get_asset", &["field"], get_asset_definition()));
    out
}

fn bundled_def(name: &str, args: &[&str], definition: String) -> MacroDef {
    MacroDef {
        name: name.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
        definition,
        iseval: false,
        validation: None,
        errormsg: None,
        origin: "bundled".to_string(),
    }
}

/// Enterprise Security (SA-IdentityManagement) `[get_asset(1)]`, args = field:
/// enrich `$field$` from the asset lookups by string key, then by CIDR,
/// writing `<field>_<asset field>` without overwriting existing values.
fn get_asset_definition() -> String {
    let outputs = ASSET_FIELDS
        .iter()
        .map(|f| format!("{f} AS $field$_{f}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "lookup asset_lookup_by_str key AS $field$ OUTPUTNEW {outputs} \
         | lookup asset_lookup_by_cidr key AS $field$ OUTPUTNEW {outputs}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_definitions_are_valid() {
        let defs = bundled_macros();
        for d in &defs {
            super::super::load::validate(d).unwrap();
            assert_eq!(d.origin, "bundled");
            for a in &d.args {
                assert!(
                    d.definition.contains(&format!("${a}$")),
                    "{} unused arg {a}",
                    d.key()
                );
            }
        }
        assert!(defs.iter().any(|d| d.key() == "drop_dm_object_name(1)"));
        assert!(defs.iter().any(|d| d.key() == "get_asset(1)"));
    }
}
