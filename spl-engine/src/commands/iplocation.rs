//! `iplocation [prefix=p] [allfields=b] [lang=l] <ip-field>` (10.8).
//!
//! Adds City, Country, Region, lat, lon (and Continent, MetroCode, Timezone with
//! `allfields=true`); unlocatable addresses get no fields; lat/lon print with
//! 5 decimals.

use crate::batch;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::geoip::{GeoIp, GeoLang};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use arrow_schema::Field;
use spl_parser::ast::Iplocation;
use std::sync::Arc;

/// The `iplocation` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Adds location fields from a MaxMind GeoIP database for the address in a field.",
    examples: &[
        Example {
            title: "locate an address",
            spl: "index=main src_ip=81.2.69.142 | iplocation src_ip | table src_ip City Country",
        },
    ],
    compat: "Uses the configured MaxMind database (`--geoip`); a multivalue address field is located by its first value.",
};

/// Plans `iplocation`.
pub(crate) fn plan(i: &Iplocation, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage, ctx) = (p.opts, p.stage, p.ctx);
    let geo = ctx.catalog.geoip.clone().ok_or(EngineError::MissingGeoip {
        span: stage.name.span,
    })?;
    let prefix = o.text_or_default("prefix").unwrap_or_default();
    let allfields = o.flag("allfields")?;
    let lang = o
        .text("lang")
        .map_or(GeoLang::parse("en"), |v| GeoLang::parse(&v.node));
    Ok(Box::new(IplocationOp {
        geo,
        field: i.field.node.clone(),
        prefix,
        allfields,
        lang,
    }))
}

struct IplocationOp {
    geo: Arc<GeoIp>,
    field: String,
    prefix: String,
    allfields: bool,
    lang: GeoLang,
}

impl Operator for IplocationOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let Some(ips) = batch::column(&batch, &self.field) else {
            return Ok(vec![batch]);
        };
        let cols = self.geo.locate(ips, &self.lang)?;
        let mut out = batch.clone();
        for (name, arr) in cols.named(&self.prefix, self.allfields) {
            let mut f = Field::new(&name, arr.data_type().clone(), true);
            if name.ends_with("lat") || name.ends_with("lon") {
                f = crate::value::with_decimals(f, Some(5));
            }
            out = batch::set_column(&out, f, arr)?;
        }
        Ok(vec![out])
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
