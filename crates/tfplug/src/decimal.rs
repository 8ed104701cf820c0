//! cty numbers as exact decimals (digits and a power of ten, never an f64 guess): decides how
//! go-cty would put a number on the wire (int, float64 or decimal text), renders floats read off
//! the wire exactly.

use super::value::Number;

/// Largest decimal exponent accepted; far beyond anything Terraform produces, small enough that
/// the plain rendering of a number stays bounded.
const EXPONENT_LIMIT: i64 = 1_000_000;
/// Plain (non-scientific) rendering is used while the exponent stays within this; it covers the
/// exact text of every finite f64 (the smallest subnormal has 1074 fractional digits).
const PLAIN_LIMIT: i64 = 1100;
/// An f64 has at most 767 significant decimal digits; longer numbers cannot be exact floats.
const F64_MAX_DIGITS: usize = 767;

/// `digits × 10^exponent`, with no leading or trailing zeros in `digits` (empty for zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

/// How go-cty writes a number in msgpack.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WireNumber {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Decimal {
    /// Parses decimal text (`-12`, `3.50`, `.5`, `1e+30`); `None` when it is not a number or
    /// its exponent is absurdly large.
    pub(crate) fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent_text) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => (rest, None),
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part) {
            return None;
        }
        let written_exponent = match exponent_text {
            Some(e) => parse_exponent(e)?,
            None => 0,
        };
        let frac_len = i64::try_from(frac_part.len()).ok()?;
        let mut digits: Vec<u8> = int_part
            .bytes()
            .chain(frac_part.bytes())
            .map(|b| b - b'0')
            .collect();
        let leading = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..leading);
        let trailing = digits.iter().rev().take_while(|&&d| d == 0).count();
        digits.truncate(digits.len() - trailing);
        if digits.is_empty() {
            return Some(Decimal {
                negative: false,
                digits,
                exponent: 0,
            });
        }
        let exponent = written_exponent - frac_len + i64::try_from(trailing).ok()?;
        let magnitude = exponent + i64::try_from(digits.len()).ok()?;
        if magnitude.abs() > EXPONENT_LIMIT {
            return None;
        }
        Some(Decimal {
            negative,
            digits,
            exponent,
        })
    }

    /// The exact value of a finite f64.
    pub(crate) fn from_f64(f: f64) -> Option<Decimal> {
        f.is_finite()
            .then(|| exact_text(f))
            .and_then(|text| Decimal::parse(&text))
    }

    pub(crate) fn to_i64(&self) -> Option<i64> {
        if self.exponent < 0 {
            return None;
        }
        let zeros = usize::try_from(self.exponent).ok()?;
        if self.digits.len() + zeros > 19 {
            return None;
        }
        let magnitude = self
            .digits
            .iter()
            .chain(std::iter::repeat_n(&0, zeros))
            .fold(0i128, |acc, &d| acc * 10 + i128::from(d));
        i64::try_from(if self.negative { -magnitude } else { magnitude }).ok()
    }

    /// The f64 with exactly this value, if there is one.
    pub(crate) fn to_exact_f64(&self) -> Option<f64> {
        if self.digits.len() > F64_MAX_DIGITS {
            return None;
        }
        let f: f64 = self.scientific().parse().ok()?;
        (f.is_finite() && Decimal::from_f64(f).as_ref() == Some(self)).then_some(f)
    }

    /// Plain decimal text like go-cty's `Text('f', -1)`, scientific only for huge exponents.
    pub(crate) fn canonical(&self) -> String {
        if self.digits.is_empty() {
            return "0".to_string();
        }
        if self.exponent.abs() > PLAIN_LIMIT {
            return self.scientific();
        }
        let sign = if self.negative { "-" } else { "" };
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        match usize::try_from(self.exponent) {
            Ok(zeros) => format!("{sign}{digits}{}", "0".repeat(zeros)),
            Err(_) => {
                let frac_len = usize::try_from(-self.exponent).unwrap_or(0);
                if frac_len >= digits.len() {
                    format!("{sign}0.{}{digits}", "0".repeat(frac_len - digits.len()))
                } else {
                    let (int, frac) = digits.split_at(digits.len() - frac_len);
                    format!("{sign}{int}.{frac}")
                }
            }
        }
    }

    fn scientific(&self) -> String {
        let sign = if self.negative { "-" } else { "" };
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        format!("{sign}{digits}e{}", self.exponent)
    }
}

fn parse_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(b - b'0');
        if value > 2 * EXPONENT_LIMIT {
            return None;
        }
    }
    Some(if negative { -value } else { value })
}

/// The exact decimal expansion of a finite f64 (`0.1` → `0.1000000000000000055511151231257827…`).
fn exact_text(f: f64) -> String {
    let bits = f.to_bits();
    let biased = i64::try_from((bits >> 52) & 0x7ff).unwrap_or(0);
    let fraction = bits & ((1u64 << 52) - 1);
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    let lowest_bit = if mantissa == 0 {
        0
    } else {
        exponent + i64::from(mantissa.trailing_zeros())
    };
    // 2^-n has exactly n fractional decimal digits, so this precision is exact, not rounded.
    let precision = usize::try_from(-lowest_bit).unwrap_or(0);
    format!("{f:.precision$}")
}

/// The wire form go-cty chooses: int when an exact i64, else float64 when exact, else text.
pub(crate) fn wire_form(number: &Number) -> Option<WireNumber> {
    let decimal = Decimal::parse(number.as_str())?;
    Some(if let Some(i) = decimal.to_i64() {
        WireNumber::Int(i)
    } else if let Some(f) = decimal.to_exact_f64() {
        WireNumber::Float(f)
    } else {
        WireNumber::Text(decimal.canonical())
    })
}

/// A number from a float read off the wire, as its exact decimal text.
pub(crate) fn number_from_f64(f: f64) -> Option<Number> {
    Decimal::from_f64(f).and_then(|d| Number::parse(&d.canonical()))
}

/// A number from decimal text read off the wire, kept as written when it is valid.
pub(crate) fn number_from_text(text: &str) -> Option<Number> {
    Decimal::parse(text)?;
    Number::parse(text)
}

/// Canonical JSON-safe text of a number (`+5` and `.5` are not valid JSON).
#[cfg(test)]
pub(crate) fn canonical_text(number: &Number) -> Option<String> {
    Decimal::parse(number.as_str()).map(|d| d.canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(text: &str) -> WireNumber {
        wire_form(&Number::parse(text).unwrap()).unwrap()
    }

    #[test]
    fn parses_and_normalises() {
        let d = Decimal::parse("-001.2500e2").unwrap();
        assert_eq!(d.canonical(), "-125");
        assert_eq!(Decimal::parse(".5").unwrap().canonical(), "0.5");
        assert_eq!(Decimal::parse("5.").unwrap().canonical(), "5");
        assert_eq!(Decimal::parse("-0.0").unwrap().canonical(), "0");
        assert_eq!(Decimal::parse("1e-3").unwrap().canonical(), "0.001");
        assert_eq!(Decimal::parse("1e2000").unwrap().canonical(), "1e2000");
        for bad in [
            "",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "0x10",
            "1e99999999999",
            "inf",
        ] {
            assert_eq!(Decimal::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn chooses_the_wire_form_like_go_cty() {
        assert_eq!(wire("1"), WireNumber::Int(1));
        assert_eq!(wire("-1"), WireNumber::Int(-1));
        assert_eq!(wire("1e3"), WireNumber::Int(1000));
        assert_eq!(wire("9223372036854775807"), WireNumber::Int(i64::MAX));
        assert_eq!(wire("-9223372036854775808"), WireNumber::Int(i64::MIN));
        assert_eq!(wire("0.5"), WireNumber::Float(0.5));
        // 2^64 does not fit an i64 but is an exact float64.
        assert_eq!(
            wire("18446744073709551616"),
            WireNumber::Float(18446744073709551616.0)
        );
        assert_eq!(wire("0.1"), WireNumber::Text("0.1".into()));
        assert_eq!(
            wire("12345678901234567890123"),
            WireNumber::Text("12345678901234567890123".into())
        );
    }

    #[test]
    fn floats_are_rendered_exactly() {
        assert_eq!(exact_text(0.5), "0.5");
        assert_eq!(
            exact_text(0.1),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        assert_eq!(number_from_f64(-2.0).unwrap().as_str(), "-2");
        let tiny = number_from_f64(f64::from_bits(1)).unwrap();
        assert_eq!(wire_form(&tiny), Some(WireNumber::Float(f64::from_bits(1))));
        let huge = number_from_f64(f64::MAX).unwrap();
        assert_eq!(wire_form(&huge), Some(WireNumber::Float(f64::MAX)));
        assert_eq!(number_from_f64(f64::NAN), None);
    }
}
