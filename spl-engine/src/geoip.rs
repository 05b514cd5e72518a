//! GeoIP for `iplocation`: a MaxMind-DB (`.mmdb`, GeoIP2/GeoLite2 City or Country
//! schema, or DB-IP's compatible City Lite) and a column-at-a-time lookup.
//!
//! Splunk's mapping from a City record: `City` = city name, `Country` = country
//! name, `Region` = first subdivision name, `lat`/`lon` = location, plus
//! `Continent`, `MetroCode`, `Timezone` with `allfields=true`. An address the
//! database does not locate (private, reserved, unknown, or not an IP at all) gets
//! no fields; a located address missing a part gets `""` for that text field and
//! null for a missing coordinate.

use crate::error::{EngineError, Result};
use arrow_array::builder::{Float64Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, Field};
use maxminddb::geoip2;
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

/// Which names to return (`iplocation lang=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeoLang {
    /// Names in the first of these languages the record has (MaxMind codes such as
    /// `en`, `de`, `es`, `fr`, `ja`, `pt-BR`, `ru`, `zh-CN`), else English.
    Names(Vec<String>),
    /// `lang=code`: ISO codes for country, region and continent (city keeps its
    /// English name, having no code).
    Code,
}

impl Default for GeoLang {
    fn default() -> Self {
        GeoLang::Names(vec!["en".to_string()])
    }
}

impl GeoLang {
    /// Parses a `lang=` value: `code`, or a comma-separated language priority list.
    pub fn parse(value: &str) -> GeoLang {
        if value.trim().eq_ignore_ascii_case("code") {
            return GeoLang::Code;
        }
        let langs: Vec<String> = value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if langs.is_empty() {
            GeoLang::default()
        } else {
            GeoLang::Names(langs)
        }
    }
}

/// What the database knows about one address.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeoRecord {
    /// City name (`""` when the record has none).
    pub city: String,
    /// Country name.
    pub country: String,
    /// First subdivision (state, province) name.
    pub region: String,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Continent name.
    pub continent: String,
    /// IANA time zone.
    pub timezone: String,
    /// Metro (DMA) code, when the record has one.
    pub metro_code: Option<u16>,
}

/// The `iplocation` output columns for a batch (Utf8 text, Float64 coordinates);
/// rows whose address is not located are null in every column.
#[derive(Debug, Clone)]
pub struct GeoColumns {
    /// `City`.
    pub city: ArrayRef,
    /// `Country`.
    pub country: ArrayRef,
    /// `Region`.
    pub region: ArrayRef,
    /// `lat` (Float64; print with 5 decimals).
    pub lat: ArrayRef,
    /// `lon` (Float64; print with 5 decimals).
    pub lon: ArrayRef,
    /// `Continent`.
    pub continent: ArrayRef,
    /// `MetroCode` (text; `""` when unknown).
    pub metro_code: ArrayRef,
    /// `Timezone`.
    pub timezone: ArrayRef,
}

impl GeoColumns {
    /// The output fields in Splunk's order, named with `prefix`: `City`, `Country`,
    /// `Region`, `lat`, `lon`, and with `allfields` also `Continent`, `MetroCode`,
    /// `Timezone`.
    pub fn named(&self, prefix: &str, allfields: bool) -> Vec<(String, ArrayRef)> {
        let mut v = vec![
            (format!("{prefix}City"), self.city.clone()),
            (format!("{prefix}Country"), self.country.clone()),
            (format!("{prefix}Region"), self.region.clone()),
            (format!("{prefix}lat"), self.lat.clone()),
            (format!("{prefix}lon"), self.lon.clone()),
        ];
        if allfields {
            v.push((format!("{prefix}Continent"), self.continent.clone()));
            v.push((format!("{prefix}MetroCode"), self.metro_code.clone()));
            v.push((format!("{prefix}Timezone"), self.timezone.clone()));
        }
        v
    }
}

impl GeoColumns {
    /// Like [`GeoColumns::named`], with ready-made fields: `lat`/`lon` carry the
    /// `spl.decimals = 5` metadata Splunk prints them with.
    pub fn fields(&self, prefix: &str, allfields: bool) -> Vec<(Field, ArrayRef)> {
        self.named(prefix, allfields)
            .into_iter()
            .map(|(name, col)| {
                let coord = name.ends_with("lat") || name.ends_with("lon");
                let mut f = Field::new(name, col.data_type().clone(), true);
                if coord && col.data_type() == &DataType::Float64 {
                    f.set_metadata(HashMap::from([(
                        crate::value::DECIMALS_KEY.to_string(),
                        "5".to_string(),
                    )]));
                }
                (f, col)
            })
            .collect()
    }
}

/// An opened GeoIP database.
pub struct GeoIp {
    reader: maxminddb::Reader<Vec<u8>>,
    path: String,
}

impl std::fmt::Debug for GeoIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoIp").field("path", &self.path).finish()
    }
}

fn pick<'a>(names: &geoip2::Names<'a>, lang: &str) -> Option<&'a str> {
    match lang {
        "de" => names.german,
        "en" => names.english,
        "es" => names.spanish,
        "fr" => names.french,
        "ja" => names.japanese,
        "pt-BR" | "pt" => names.brazilian_portuguese,
        "ru" => names.russian,
        "zh-CN" | "zh" => names.simplified_chinese,
        _ => None,
    }
}

fn name_in(names: &geoip2::Names<'_>, lang: &GeoLang) -> String {
    let chosen = match lang {
        GeoLang::Names(langs) => langs.iter().find_map(|l| pick(names, l)),
        GeoLang::Code => None,
    };
    chosen.or(names.english).unwrap_or_default().to_string()
}

impl GeoIp {
    /// Opens an `.mmdb` file (read into memory).
    pub fn open(path: &Path) -> Result<GeoIp> {
        let display = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| EngineError::Io {
            path: display.clone(),
            source,
        })?;
        let reader = maxminddb::Reader::from_source(bytes).map_err(|e| {
            EngineError::data(
                &display,
                None,
                None,
                format!("expected a MaxMind DB (.mmdb) file: {e}"),
            )
        })?;
        Ok(GeoIp {
            reader,
            path: display,
        })
    }

    /// The database file.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Looks up one address; `None` when it is not an IP or not located.
    pub fn lookup(&self, ip: &str, lang: &GeoLang) -> Result<Option<GeoRecord>> {
        let Ok(addr) = ip.trim().parse::<IpAddr>() else {
            return Ok(None);
        };
        let bad = |e: maxminddb::MaxMindDbError| {
            EngineError::data(
                &self.path,
                None,
                None,
                format!("corrupt GeoIP database: {e}"),
            )
        };
        let found = self.reader.lookup(addr).map_err(bad)?;
        if !found.has_data() {
            return Ok(None);
        }
        let Some(rec) = found.decode::<geoip2::City>().map_err(bad)? else {
            return Ok(None);
        };
        let sub = rec.subdivisions.first();
        let (country, region, continent) = match lang {
            GeoLang::Code => (
                rec.country.iso_code.unwrap_or_default().to_string(),
                sub.and_then(|s| s.iso_code).unwrap_or_default().to_string(),
                rec.continent.code.unwrap_or_default().to_string(),
            ),
            GeoLang::Names(_) => (
                name_in(&rec.country.names, lang),
                sub.map(|s| name_in(&s.names, lang)).unwrap_or_default(),
                name_in(&rec.continent.names, lang),
            ),
        };
        Ok(Some(GeoRecord {
            city: name_in(&rec.city.names, lang),
            country,
            region,
            lat: rec.location.latitude,
            lon: rec.location.longitude,
            continent,
            timezone: rec.location.time_zone.unwrap_or_default().to_string(),
            metro_code: rec.location.metro_code,
        }))
    }

    /// Looks up a column of addresses: Utf8, or List<Utf8> (the first value is
    /// used); other types are read as their text. Each distinct address is looked
    /// up once per call.
    pub fn locate(&self, ips: &ArrayRef, lang: &GeoLang) -> Result<GeoColumns> {
        let text: ArrayRef = match ips.data_type() {
            DataType::Utf8 => ips.clone(),
            DataType::List(_) | DataType::LargeList(_) => first_values(ips)?,
            _ => arrow_cast::cast(ips, &DataType::Utf8)?,
        };
        let text = text.as_string::<i32>();
        let n = text.len();
        let mut memo: HashMap<&str, Option<GeoRecord>> = HashMap::new();
        let mut city = StringBuilder::new();
        let mut country = StringBuilder::new();
        let mut region = StringBuilder::new();
        let mut continent = StringBuilder::new();
        let mut metro = StringBuilder::new();
        let mut tz = StringBuilder::new();
        let mut lat = Float64Builder::with_capacity(n);
        let mut lon = Float64Builder::with_capacity(n);
        for ip in text.iter() {
            let rec = match ip {
                None => None,
                Some(ip) => match memo.get(ip) {
                    Some(r) => r.clone(),
                    None => {
                        let r = self.lookup(ip, lang)?;
                        memo.insert(ip, r.clone());
                        r
                    }
                },
            };
            match rec {
                Some(r) => {
                    city.append_value(&r.city);
                    country.append_value(&r.country);
                    region.append_value(&r.region);
                    continent.append_value(&r.continent);
                    metro.append_value(r.metro_code.map(|m| m.to_string()).unwrap_or_default());
                    tz.append_value(&r.timezone);
                    lat.append_option(r.lat);
                    lon.append_option(r.lon);
                }
                None => {
                    for b in [
                        &mut city,
                        &mut country,
                        &mut region,
                        &mut continent,
                        &mut metro,
                        &mut tz,
                    ] {
                        b.append_null();
                    }
                    lat.append_null();
                    lon.append_null();
                }
            }
        }
        Ok(GeoColumns {
            city: Arc::new(city.finish()),
            country: Arc::new(country.finish()),
            region: Arc::new(region.finish()),
            lat: Arc::new(lat.finish()),
            lon: Arc::new(lon.finish()),
            continent: Arc::new(continent.finish()),
            metro_code: Arc::new(metro.finish()),
            timezone: Arc::new(tz.finish()),
        })
    }
}

/// The first value of each list (null for null or empty lists), as Utf8.
fn first_values(arr: &ArrayRef) -> Result<ArrayRef> {
    let list = arrow_cast::cast(
        arr,
        &DataType::List(Arc::new(arrow_schema::Field::new_list_field(
            DataType::Utf8,
            true,
        ))),
    )?;
    let list = list.as_list::<i32>();
    let mut b = StringBuilder::new();
    for i in 0..list.len() {
        if list.is_null(i) {
            b.append_null();
            continue;
        }
        let v = list.value(i);
        let s = v.as_string::<i32>();
        b.append_option((0..s.len()).find(|&j| s.is_valid(j)).map(|j| s.value(j)));
    }
    Ok(Arc::new(b.finish()))
}
