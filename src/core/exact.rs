//! Exact numbers for scoring: every quantity from a raw ledger value to a final score is a
//! rational number (a big-integer fraction), so a mean like 239.5/3 stays 239.5/3 and a score
//! that is exactly 78.85 is 78.85, not 78.849999…. Rounding (四舍五入, half away from zero)
//! happens only where the docs say, on the exact value, and gives a `Decimal` for display
//! and output. Ledger values and sums over rows stay `Decimal` (exact, fast); the rationals
//! live in the per-subject results.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// An exact rational number.
///
/// Almost every value in scoring is a small fraction (a score in tenths over a panel of 50),
/// so the number is kept as a reduced `i64` fraction while it fits, with the arithmetic done in
/// `i128` (a product of two such parts cannot overflow), and becomes a big-integer fraction
/// only when a result does not fit. The form is canonical — a value that fits is always the
/// small form — so equality and hashing are structural; the results are the same exact
/// values either way.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Exact(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// numerator / denominator, reduced, denominator > 0, both within ±i64::MAX.
    Small(i64, i64),
    /// Boxed, so that the usual small value stays three words.
    Big(Box<BigRational>),
}

/// Greatest common divisor (num-integer's binary gcd), in 64 bits when both fit.
fn gcd(a: u128, b: u128) -> u128 {
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(x), Ok(y)) => u128::from(x.gcd(&y)),
        _ => a.gcd(&b),
    }
}

impl Exact {
    /// n / d in canonical form; `None` when d is 0.
    fn ratio(n: i128, d: i128) -> Option<Exact> {
        if d == 0 {
            return None;
        }
        let g = gcd(n.unsigned_abs(), d.unsigned_abs());
        let (un, ud) = (n.unsigned_abs() / g, d.unsigned_abs() / g);
        let negative = (n < 0) != (d < 0) && un != 0;
        let fits = |x: u128| x <= i64::MAX as u128;
        Some(if fits(un) && fits(ud) {
            let n = un as i64;
            Exact(Repr::Small(if negative { -n } else { n }, ud as i64))
        } else {
            let n = BigInt::from(un);
            Exact(Repr::Big(Box::new(BigRational::new_raw(if negative { -n } else { n }, BigInt::from(ud)))))
        })
    }

    /// A big fraction in canonical form (small when it fits).
    fn big(r: BigRational) -> Exact {
        if let (Some(n), Some(d)) = (r.numer().to_i64(), r.denom().to_i64())
            && n != i64::MIN
        {
            return Exact(Repr::Small(n, d));
        }
        Exact(Repr::Big(Box::new(r)))
    }

    fn to_big(&self) -> BigRational {
        match &self.0 {
            Repr::Small(n, d) => BigRational::new_raw(BigInt::from(*n), BigInt::from(*d)),
            Repr::Big(r) => (**r).clone(),
        }
    }

    pub fn zero() -> Self {
        Exact(Repr::Small(0, 1))
    }

    pub fn one() -> Self {
        Exact(Repr::Small(1, 1))
    }

    pub fn from_int(n: i64) -> Self {
        Exact::ratio(i128::from(n), 1).unwrap_or_default()
    }

    pub fn is_zero(&self) -> bool {
        match &self.0 {
            Repr::Small(n, _) => *n == 0,
            Repr::Big(r) => r.is_zero(),
        }
    }

    pub fn is_positive(&self) -> bool {
        match &self.0 {
            Repr::Small(n, _) => *n > 0,
            Repr::Big(r) => r.is_positive(),
        }
    }

    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Small(n, _) => *n < 0,
            Repr::Big(r) => r.is_negative(),
        }
    }

    /// 四舍五入: round half away from zero to `dp` decimals, on the exact value.
    pub fn round(&self, dp: u32) -> Decimal {
        // |x|·10^dp + 1/2, floored: (2|n|·10^dp + d) div 2d.
        if let Repr::Small(n, d) = self.0
            && let Some(m) = 10i128.checked_pow(dp).and_then(|s| (2 * i128::from(n).abs()).checked_mul(s))
            && let Some(m) = m.checked_add(i128::from(d))
        {
            let q = m / (2 * i128::from(d));
            let q = if n < 0 { -q } else { q };
            return Decimal::try_from_i128_with_scale(q, dp).unwrap_or(if q < 0 { Decimal::MIN } else { Decimal::MAX });
        }
        let r = self.to_big();
        let scale = BigInt::from(10u32).pow(dp);
        let n = r.numer() * &scale;
        let d = r.denom().clone();
        let two = BigInt::from(2u32);
        let mut q = (&two * n.abs() + &d).div_floor(&(&two * &d));
        if n.is_negative() {
            q = -q;
        }
        match q.to_i128() {
            Some(m) => {
                Decimal::try_from_i128_with_scale(m, dp).unwrap_or(if m < 0 { Decimal::MIN } else { Decimal::MAX })
            }
            None if q.is_negative() => Decimal::MIN,
            None => Decimal::MAX,
        }
    }

    /// The value as a finite decimal, when it is one (its denominator has no prime factors
    /// but 2 and 5) and fits a `Decimal`.
    pub fn to_decimal(&self) -> Option<Decimal> {
        let r = self.to_big();
        let mut d = r.denom().clone();
        let mut dp = 0u32;
        for p in [2u32, 5] {
            let p = BigInt::from(p);
            while (&d % &p).is_zero() {
                d /= &p;
            }
        }
        if !d.is_one() {
            return None;
        }
        let mut scale = BigInt::one();
        while !(&scale % r.denom()).is_zero() {
            scale *= 10;
            dp += 1;
            if dp > 28 {
                return None;
            }
        }
        let m = (r.numer() * (scale / r.denom())).to_i128()?;
        Decimal::try_from_i128_with_scale(m, dp).ok().map(|d| d.normalize())
    }

    /// For reading: the finite decimal (`78.85`) or the fraction (`1579/20`, `479/6`).
    pub fn exact_text(&self) -> String {
        match self.to_decimal() {
            Some(d) => d.to_string(),
            None => match &self.0 {
                Repr::Small(n, d) => format!("{n}/{d}"),
                Repr::Big(r) => format!("{}/{}", r.numer(), r.denom()),
            },
        }
    }

    /// Whether the value has more decimals than `dp` (it is rounded when shown).
    pub fn needs_rounding(&self, dp: u32) -> bool {
        Exact::from(self.round(dp)) != *self
    }

    pub fn min(self, other: Exact) -> Exact {
        Ord::min(self, other)
    }

    pub fn max(self, other: Exact) -> Exact {
        Ord::max(self, other)
    }

    fn add_ref(&self, rhs: &Exact) -> Exact {
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &rhs.0) {
            let (a, b, c, d) = (i128::from(*a), i128::from(*b), i128::from(*c), i128::from(*d));
            if b == d {
                return Exact::ratio(a + c, b).unwrap_or_default();
            }
            // |a·d| and |c·b| are below 2^126, so their sum fits.
            return Exact::ratio(a * d + c * b, b * d).unwrap_or_default();
        }
        Exact::big(self.to_big() + rhs.to_big())
    }

    fn neg_ref(&self) -> Exact {
        match &self.0 {
            Repr::Small(n, d) => Exact(Repr::Small(-n, *d)),
            Repr::Big(r) => Exact::big(-(**r).clone()),
        }
    }

    fn sub_ref(&self, rhs: &Exact) -> Exact {
        self.add_ref(&rhs.neg_ref())
    }

    fn mul_ref(&self, rhs: &Exact) -> Exact {
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &rhs.0) {
            return Exact::ratio(i128::from(*a) * i128::from(*c), i128::from(*b) * i128::from(*d)).unwrap_or_default();
        }
        Exact::big(self.to_big() * rhs.to_big())
    }

    /// Division; by zero gives zero (callers check divisors; a zero here is never a result).
    fn div_ref(&self, rhs: &Exact) -> Exact {
        if rhs.is_zero() {
            return Exact::zero();
        }
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &rhs.0) {
            return Exact::ratio(i128::from(*a) * i128::from(*d), i128::from(*b) * i128::from(*c)).unwrap_or_default();
        }
        Exact::big(self.to_big() / rhs.to_big())
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (&self.0, &other.0) {
            // Denominators are positive: a/b < c/d ⇔ a·d < c·b, exact in i128.
            (Repr::Small(a, b), Repr::Small(c, d)) => {
                (i128::from(*a) * i128::from(*d)).cmp(&(i128::from(*c) * i128::from(*b)))
            }
            _ => self.to_big().cmp(&other.to_big()),
        }
    }
}

/// Anything that is an exact number, by value or by reference (for display helpers).
pub trait AsExact {
    fn as_exact(&self) -> Exact;
}

impl AsExact for Exact {
    fn as_exact(&self) -> Exact {
        self.clone()
    }
}

impl AsExact for Decimal {
    fn as_exact(&self) -> Exact {
        Exact::from(*self)
    }
}

impl<T: AsExact + ?Sized> AsExact for &T {
    fn as_exact(&self) -> Exact {
        (**self).as_exact()
    }
}

impl Default for Exact {
    fn default() -> Self {
        Exact::zero()
    }
}

impl fmt::Debug for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.exact_text())
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.exact_text())
    }
}

impl From<Decimal> for Exact {
    fn from(d: Decimal) -> Self {
        if let Some(x) = 10i128.checked_pow(d.scale()).and_then(|s| Exact::ratio(d.mantissa(), s)) {
            return x;
        }
        let numer = BigInt::from(d.mantissa());
        let denom = BigInt::from(10u32).pow(d.scale());
        Exact::big(BigRational::new(numer, denom))
    }
}

impl From<&Decimal> for Exact {
    fn from(d: &Decimal) -> Self {
        Exact::from(*d)
    }
}

impl From<&Exact> for Exact {
    fn from(x: &Exact) -> Self {
        x.clone()
    }
}

impl From<u32> for Exact {
    fn from(n: u32) -> Self {
        Exact(Repr::Small(i64::from(n), 1))
    }
}

impl From<usize> for Exact {
    fn from(n: usize) -> Self {
        Exact::ratio(n as i128, 1).unwrap_or_default()
    }
}

macro_rules! binary {
    ($trait:ident, $method:ident, $imp:ident) => {
        impl $trait for Exact {
            type Output = Exact;
            fn $method(self, rhs: Exact) -> Exact {
                self.$imp(&rhs)
            }
        }
        impl $trait<&Exact> for Exact {
            type Output = Exact;
            fn $method(self, rhs: &Exact) -> Exact {
                self.$imp(rhs)
            }
        }
        impl $trait<&Exact> for &Exact {
            type Output = Exact;
            fn $method(self, rhs: &Exact) -> Exact {
                self.$imp(rhs)
            }
        }
        impl $trait<Exact> for &Exact {
            type Output = Exact;
            fn $method(self, rhs: Exact) -> Exact {
                self.$imp(&rhs)
            }
        }
        impl $trait<Decimal> for Exact {
            type Output = Exact;
            fn $method(self, rhs: Decimal) -> Exact {
                self.$imp(&Exact::from(rhs))
            }
        }
        impl $trait<Decimal> for &Exact {
            type Output = Exact;
            fn $method(self, rhs: Decimal) -> Exact {
                self.$imp(&Exact::from(rhs))
            }
        }
    };
}

binary!(Add, add, add_ref);
binary!(Sub, sub, sub_ref);
binary!(Mul, mul, mul_ref);
binary!(Div, div, div_ref);

impl Neg for Exact {
    type Output = Exact;
    fn neg(self) -> Exact {
        self.neg_ref()
    }
}

impl AddAssign for Exact {
    fn add_assign(&mut self, rhs: Exact) {
        *self = self.add_ref(&rhs);
    }
}

impl AddAssign<&Exact> for Exact {
    fn add_assign(&mut self, rhs: &Exact) {
        *self = self.add_ref(rhs);
    }
}

impl SubAssign for Exact {
    fn sub_assign(&mut self, rhs: Exact) {
        *self = self.sub_ref(&rhs);
    }
}

impl Sum for Exact {
    fn sum<I: Iterator<Item = Exact>>(iter: I) -> Exact {
        iter.fold(Exact::zero(), |a, b| a + b)
    }
}

impl<'a> Sum<&'a Exact> for Exact {
    fn sum<I: Iterator<Item = &'a Exact>>(iter: I) -> Exact {
        iter.fold(Exact::zero(), |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn ex(s: &str) -> Exact {
        Exact::from(dec(s))
    }

    #[test]
    fn an_exact_half_rounds_away_from_zero() {
        // 473.1 / 6 = 78.85 exactly: 78.9 at one decimal (28-digit decimals gave 78.8).
        let x = ex("473.1") / Exact::from(6u32);
        assert_eq!(x.exact_text(), "78.85");
        assert_eq!(x.round(1), dec("78.9"));
        assert_eq!(ex("78.985").round(2), dec("78.99"));
        assert_eq!(ex("19.8625").round(3), dec("19.863"));
        assert_eq!(ex("-2.5").round(0), dec("-3"));
        assert_eq!(ex("96.675").round(2), dec("96.68"));
        // Just below a half stays below.
        assert_eq!((ex("78.85") - ex("0.0000000001")).round(1), dec("78.8"));
    }

    #[test]
    fn thirds_stay_thirds() {
        let x = ex("239.5") / Exact::from(3u32);
        assert_eq!(x.exact_text(), "479/6");
        assert_eq!(x.to_decimal(), None);
        assert_eq!(x.round(2), dec("79.83"));
        assert_eq!(x.clone() * Exact::from(3u32), ex("239.5"));
        assert!(x.needs_rounding(2));
        assert!(!ex("78.85").needs_rounding(2));
    }

    /// The same operation done on big fractions, for comparison.
    fn big_of(x: &Exact) -> BigRational {
        x.to_big()
    }

    fn any_exact() -> impl Strategy<Value = Exact> {
        // Small values, values near the i64 edges, and big ones (which must still be exact).
        prop_oneof![
            (-1_000_000i64..1_000_000, 1i64..10_000).prop_map(|(n, d)| Exact::ratio(n.into(), d.into()).unwrap()),
            (any::<i64>(), 1i64..=i64::MAX).prop_map(|(n, d)| Exact::ratio(n.into(), d.into()).unwrap()),
            (any::<i128>(), 1i128..=i128::MAX).prop_map(|(n, d)| Exact::ratio(n, d).unwrap()),
        ]
    }

    #[test]
    fn the_small_form_is_three_words() {
        assert_eq!(std::mem::size_of::<Exact>(), 24);
    }

    #[test]
    fn results_past_i64_become_big_and_stay_exact() {
        let big = Exact::from_int(i64::MAX) * Exact::from_int(i64::MAX);
        assert!(matches!(big.0, Repr::Big(_)));
        let back = &big / Exact::from_int(i64::MAX);
        assert_eq!(back, Exact::from_int(i64::MAX));
        assert!(matches!(back.0, Repr::Small(..)), "a value that fits is small again");
        assert_eq!(Exact::from_int(i64::MIN).exact_text(), "-9223372036854775808");
        assert_eq!((Exact::from_int(i64::MIN) - Exact::one()).exact_text(), "-9223372036854775809");
        assert_eq!(Exact::one() / Exact::zero(), Exact::zero());
    }

    proptest! {
        /// The small form gives exactly what big-integer fractions give, and stays canonical.
        #[test]
        fn small_arithmetic_agrees_with_big_fractions(a in any_exact(), b in any_exact()) {
            let (x, y) = (big_of(&a), big_of(&b));
            prop_assert_eq!(big_of(&(&a + &b)), &x + &y);
            prop_assert_eq!(big_of(&(&a - &b)), &x - &y);
            prop_assert_eq!(big_of(&(&a * &b)), &x * &y);
            if !y.is_zero() {
                prop_assert_eq!(big_of(&(&a / &b)), &x / &y);
            }
            prop_assert_eq!(a.cmp(&b), x.cmp(&y));
            prop_assert_eq!(Exact::big(x.clone()), a.clone());
            prop_assert_eq!(a.round(2), Exact(Repr::Big(Box::new(x.clone()))).round(2));
        }

        /// Rounding an exact decimal agrees with rust_decimal's half-away-from-zero.
        #[test]
        fn rounding_agrees_with_decimal(m in -10_000_000i64..10_000_000, scale in 0u32..7, dp in 0u32..5) {
            let d = Decimal::new(m, scale);
            let want = d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            prop_assert_eq!(Exact::from(d).round(dp), want);
            prop_assert_eq!(Exact::from(d).to_decimal(), Some(d.normalize()));
        }
    }
}
