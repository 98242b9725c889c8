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
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Exact(BigRational);

impl Exact {
    pub fn zero() -> Self {
        Exact(BigRational::zero())
    }

    pub fn one() -> Self {
        Exact(BigRational::one())
    }

    pub fn from_int(n: i64) -> Self {
        Exact(BigRational::from_integer(BigInt::from(n)))
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn is_positive(&self) -> bool {
        self.0.is_positive()
    }

    pub fn is_negative(&self) -> bool {
        self.0.is_negative()
    }

    /// 四舍五入: round half away from zero to `dp` decimals, on the exact value.
    pub fn round(&self, dp: u32) -> Decimal {
        let scale = BigInt::from(10u32).pow(dp);
        let n = self.0.numer() * &scale;
        let d = self.0.denom().clone();
        // |x|·10^dp + 1/2, floored: (2|n| + d) div 2d.
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
        let mut d = self.0.denom().clone();
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
        while !(&scale % self.0.denom()).is_zero() {
            scale *= 10;
            dp += 1;
            if dp > 28 {
                return None;
            }
        }
        let m = (self.0.numer() * (scale / self.0.denom())).to_i128()?;
        Decimal::try_from_i128_with_scale(m, dp).ok().map(|d| d.normalize())
    }

    /// For reading: the finite decimal (`78.85`) or the fraction (`1579/20`, `479/6`).
    pub fn exact_text(&self) -> String {
        match self.to_decimal() {
            Some(d) => d.to_string(),
            None => format!("{}/{}", self.0.numer(), self.0.denom()),
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
        let numer = BigInt::from(d.mantissa());
        let denom = BigInt::from(10u32).pow(d.scale());
        Exact(BigRational::new(numer, denom))
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
        Exact(BigRational::from_integer(BigInt::from(n)))
    }
}

impl From<usize> for Exact {
    fn from(n: usize) -> Self {
        Exact(BigRational::from_integer(BigInt::from(n)))
    }
}

macro_rules! binary {
    ($trait:ident, $method:ident, $op:tt) => {
        impl $trait for Exact {
            type Output = Exact;
            fn $method(self, rhs: Exact) -> Exact {
                Exact(self.0 $op rhs.0)
            }
        }
        impl $trait<&Exact> for Exact {
            type Output = Exact;
            fn $method(self, rhs: &Exact) -> Exact {
                Exact(self.0 $op &rhs.0)
            }
        }
        impl $trait<&Exact> for &Exact {
            type Output = Exact;
            fn $method(self, rhs: &Exact) -> Exact {
                Exact(&self.0 $op &rhs.0)
            }
        }
        impl $trait<Exact> for &Exact {
            type Output = Exact;
            fn $method(self, rhs: Exact) -> Exact {
                Exact(&self.0 $op rhs.0)
            }
        }
        impl $trait<Decimal> for Exact {
            type Output = Exact;
            fn $method(self, rhs: Decimal) -> Exact {
                Exact(self.0 $op Exact::from(rhs).0)
            }
        }
        impl $trait<Decimal> for &Exact {
            type Output = Exact;
            fn $method(self, rhs: Decimal) -> Exact {
                Exact(&self.0 $op Exact::from(rhs).0)
            }
        }
    };
}

binary!(Add, add, +);
binary!(Sub, sub, -);
binary!(Mul, mul, *);

/// Division by zero gives zero (callers check divisors; a zero here is never a result).
impl Div for Exact {
    type Output = Exact;
    fn div(self, rhs: Exact) -> Exact {
        if rhs.0.is_zero() { Exact::zero() } else { Exact(self.0 / rhs.0) }
    }
}

impl Div<&Exact> for &Exact {
    type Output = Exact;
    fn div(self, rhs: &Exact) -> Exact {
        if rhs.0.is_zero() { Exact::zero() } else { Exact(&self.0 / &rhs.0) }
    }
}

impl Div<Decimal> for Exact {
    type Output = Exact;
    fn div(self, rhs: Decimal) -> Exact {
        self / Exact::from(rhs)
    }
}

impl Div<Decimal> for &Exact {
    type Output = Exact;
    fn div(self, rhs: Decimal) -> Exact {
        self / &Exact::from(rhs)
    }
}

impl Neg for Exact {
    type Output = Exact;
    fn neg(self) -> Exact {
        Exact(-self.0)
    }
}

impl AddAssign for Exact {
    fn add_assign(&mut self, rhs: Exact) {
        self.0 += rhs.0;
    }
}

impl AddAssign<&Exact> for Exact {
    fn add_assign(&mut self, rhs: &Exact) {
        self.0 += &rhs.0;
    }
}

impl SubAssign for Exact {
    fn sub_assign(&mut self, rhs: Exact) {
        self.0 -= rhs.0;
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

    proptest! {
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
