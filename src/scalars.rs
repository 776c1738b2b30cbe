//! Output scalars written without chrono's `strftime` machinery.
//!
//! async-graphql writes a `NaiveDate` through `format("%Y-%m-%d")`, which
//! parses the format string again for every value; a page of employees
//! with their last attendance days writes hundreds of dates per response
//! (about 3 % of the server's CPU on the nested-list benchmark). [`Date`]
//! is the same GraphQL scalar (`NaiveDate`, same text), written directly.

use std::borrow::Cow;

use async_graphql::{ContextSelectionSet, OutputType, Positioned, ServerResult, Value, parser::types::Field, registry};
use chrono::{Datelike, NaiveDate};

/// A `NaiveDate` output: the schema's `NaiveDate` scalar, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

/// `YYYY-MM-DD`, exactly as chrono's `%Y-%m-%d` writes it.
pub fn iso_date(d: NaiveDate) -> String {
    let year = d.year();
    if !(0..=9999).contains(&year) {
        // Signed or five-digit years: rare enough to take the slow path.
        return d.format("%Y-%m-%d").to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let y = year as u32;
    let (m, day) = (d.month(), d.day());
    let mut s = String::with_capacity(10);
    s.extend([digit(y / 1000), digit(y / 100), digit(y / 10), digit(y)]);
    s.push('-');
    s.extend([digit(m / 10), digit(m)]);
    s.push('-');
    s.extend([digit(day / 10), digit(day)]);
    s
}

impl OutputType for Date {
    fn type_name() -> Cow<'static, str> {
        <NaiveDate as OutputType>::type_name()
    }

    fn create_type_info(registry: &mut registry::Registry) -> String {
        // Registers chrono's own `NaiveDate` scalar: one type in the schema.
        <NaiveDate as OutputType>::create_type_info(registry)
    }

    async fn resolve(&self, _: &ContextSelectionSet<'_>, _field: &Positioned<Field>) -> ServerResult<Value> {
        Ok(Value::String(iso_date(self.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_chrono_writes() {
        let mut d = NaiveDate::from_ymd_opt(-3, 1, 1).expect("valid date");
        let end = NaiveDate::from_ymd_opt(10_002, 12, 31).expect("valid date");
        let mut checked = 0;
        while d <= end {
            assert_eq!(iso_date(d), d.format("%Y-%m-%d").to_string(), "{d:?}");
            d = d + chrono::Days::new(if d.year() > 2 && d.year() < 9998 { 37 } else { 1 });
            checked += 1;
        }
        assert!(checked > 100_000, "{checked}");
    }
}
