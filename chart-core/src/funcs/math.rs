//! Template functions: math. Sprig's integer arithmetic (`add`, `sub`, `mul`, `div`, `mod`,
//! `max`, `min`, ...), its float arithmetic (`addf`, `divf`, `maxf`, ...), and `floor`,
//! `ceil` and `round`.
//!
//! Every argument is an `interface {}` converted with `spf13/cast`, so anything unparsable
//! counts as 0 (`add "a" 1` is 1) and floats are truncated by the integer functions. Integer
//! results are `int64` and wrap around on overflow, as Go's do. The float functions
//! (`addf`, `subf`, `mulf`, `divf`, `add1f`) compute in shopspring/decimal, exactly, from
//! each float's shortest decimal form (so `addf 0.1 0.2` is `0.3`), with quotients rounded
//! to 16 decimal places; the result is the nearest float64.

use std::cmp::Ordering;

use num_bigint::{BigInt, Sign};

use super::{Args, FnCtx, FnError, Func, GoType, cast};
use crate::value::Value;

pub(super) const FUNCS: &[Func] = &[
    func("add1", &[GoType::Any], None, add1),
    func("add", &[], Some(GoType::Any), add),
    func("sub", &[GoType::Any, GoType::Any], None, sub),
    func("div", &[GoType::Any, GoType::Any], None, div),
    func("mod", &[GoType::Any, GoType::Any], None, modulo),
    func("mul", &[GoType::Any], Some(GoType::Any), mul),
    func("max", &[GoType::Any], Some(GoType::Any), max),
    func("biggest", &[GoType::Any], Some(GoType::Any), max),
    func("min", &[GoType::Any], Some(GoType::Any), min),
    func("add1f", &[GoType::Any], None, add1f),
    func("addf", &[], Some(GoType::Any), addf),
    func("subf", &[GoType::Any], Some(GoType::Any), subf),
    func("mulf", &[GoType::Any], Some(GoType::Any), mulf),
    func("divf", &[GoType::Any], Some(GoType::Any), divf),
    func("maxf", &[GoType::Any], Some(GoType::Any), maxf),
    func("minf", &[GoType::Any], Some(GoType::Any), minf),
    func("floor", &[GoType::Any], None, floor),
    func("ceil", &[GoType::Any], None, ceil),
    func(
        "round",
        &[GoType::Any, GoType::Int],
        Some(GoType::Float64),
        round,
    ),
];

const fn func(
    name: &'static str,
    params: &'static [GoType],
    variadic: Option<GoType>,
    call: super::NativeFn,
) -> Func {
    Func {
        name,
        params,
        variadic,
        call,
    }
}

fn ints(args: &[Value]) -> impl Iterator<Item = i64> + '_ {
    args.iter().map(cast::to_int64)
}

fn int64(i: i64) -> Result<Value, FnError> {
    Ok(Value::int64(i))
}

fn float64(f: f64) -> Result<Value, FnError> {
    Ok(Value::Float(f))
}

fn first_int(args: &[Value]) -> i64 {
    args.first().map_or(0, cast::to_int64)
}

fn second_int(args: &[Value]) -> i64 {
    args.get(1).map_or(0, cast::to_int64)
}

fn first_float(args: &[Value]) -> f64 {
    args.first().map_or(0.0, cast::to_float64)
}

fn divide_by_zero() -> FnError {
    FnError::new("runtime error: integer divide by zero")
}

/// Sprig's `add1`.
fn add1(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    int64(first_int(&args).wrapping_add(1))
}

/// Sprig's `add`: the sum of any number of arguments (0 without any).
fn add(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    int64(ints(&args).fold(0, i64::wrapping_add))
}

/// Sprig's `sub A B`.
fn sub(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    int64(first_int(&args).wrapping_sub(second_int(&args)))
}

/// Sprig's `div A B`: Go's integer division, truncating towards zero.
fn div(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let divisor = second_int(&args);
    if divisor == 0 {
        return Err(divide_by_zero());
    }
    int64(first_int(&args).wrapping_div(divisor))
}

/// Sprig's `mod A B`: Go's `%`, whose sign follows the dividend.
fn modulo(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let divisor = second_int(&args);
    if divisor == 0 {
        return Err(divide_by_zero());
    }
    int64(first_int(&args).wrapping_rem(divisor))
}

/// Sprig's `mul A B...`.
fn mul(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    int64(
        ints(&args)
            .skip(1)
            .fold(first_int(&args), i64::wrapping_mul),
    )
}

/// Sprig's `max`/`biggest`.
fn max(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    int64(ints(&args).skip(1).fold(first_int(&args), i64::max))
}

/// Sprig's `min`.
fn min(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    int64(ints(&args).skip(1).fold(first_int(&args), i64::min))
}

/// Go's `math.Max`: +Inf wins over NaN, NaN over numbers, +0 over -0.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        f64::INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && y == 0.0 {
        if x.is_sign_negative() { y } else { x }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`: -Inf wins over NaN, NaN over numbers, -0 over +0.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        f64::NEG_INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && y == 0.0 {
        if x.is_sign_negative() { x } else { y }
    } else if x < y {
        x
    } else {
        y
    }
}

/// Sprig's `maxf`.
fn maxf(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    float64(
        args.iter()
            .skip(1)
            .map(cast::to_float64)
            .fold(first_float(&args), go_max),
    )
}

/// Sprig's `minf`.
fn minf(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    float64(
        args.iter()
            .skip(1)
            .map(cast::to_float64)
            .fold(first_float(&args), go_min),
    )
}

/// Sprig's `floor`, a float64.
fn floor(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    float64(first_float(&args).floor())
}

/// Sprig's `ceil`, a float64.
fn ceil(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    float64(first_float(&args).ceil())
}

/// Sprig's `round V PLACES [HALF]`: scales by `10^PLACES`, rounds up when the fractional part
/// is at least `HALF` (0.5 by default; the fraction of a negative number is negative, so
/// `-2.5` rounds down to `-3`), and scales back.
fn round(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let round_on = match args.get(2) {
        Some(Value::Float(f)) => *f,
        _ => 0.5,
    };
    let value = first_float(&args);
    let places = match args.get(1) {
        Some(Value::Int(i, _)) => *i,
        _ => 0,
    };
    let pow = go_pow10(places);
    let digit = pow * value;
    // Go's math.Modf; the fraction of ±Inf is NaN, which compares false.
    let fraction = if digit.is_infinite() {
        f64::NAN
    } else {
        digit.fract()
    };
    let rounded = if fraction >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    float64(rounded / pow)
}

/// Go's `math.Pow(10, float64(n))`, whose rounding (by repeated squaring of the mantissa)
/// differs from a correctly rounded power for some exponents (`10^39`, `10^-25`); Sprig's
/// `round` shows the difference.
fn go_pow10(n: i64) -> f64 {
    if n == 0 {
        return 1.0;
    }
    if n == i64::MIN {
        // |n| is 2^63: Go's "large even integer" case, which underflows for a base above 1.
        return 0.0;
    }
    // math.Frexp(10) = 0.625 × 2^4.
    let (mut x1, mut xe) = (0.625_f64, 4_i64);
    let (mut a1, mut ae) = (1.0_f64, 0_i64);
    let mut i = n.unsigned_abs();
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if n < 0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    go_ldexp(a1, ae)
}

/// Go's `math.Ldexp(frac, exp)`: `frac × 2^exp`, rounded once when the result is subnormal.
fn go_ldexp(frac: f64, exp: i64) -> f64 {
    if frac == 0.0 || !frac.is_finite() {
        return frac;
    }
    let (frac, mut exp) = if frac.abs() < f64::MIN_POSITIVE {
        (frac * (1_u64 << 52) as f64, exp - 52)
    } else {
        (frac, exp)
    };
    let mut bits = frac.to_bits();
    exp += ((bits >> 52) & 0x7ff) as i64 - 1023;
    if exp < -1075 {
        return 0.0_f64.copysign(frac);
    }
    if exp > 1023 {
        return f64::INFINITY.copysign(frac);
    }
    let mut scale = 1.0;
    if exp < -1022 {
        exp += 53;
        scale = 1.0 / (1_u64 << 53) as f64;
    }
    bits &= !(0x7ff << 52);
    // exp + 1023 is in 1..=2046 here.
    bits |= ((exp + 1023) as u64) << 52;
    scale * f64::from_bits(bits)
}

/// Sprig's `add1f`.
fn add1f(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let first = args.first().cloned().unwrap_or(Value::Nil);
    decimal_op(&first, &[Value::int(1)], Decimal::add)
}

/// Sprig's `addf`: the sum of any number of arguments, starting from 0.
fn addf(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    decimal_op(&Value::Float(0.0), &args, Decimal::add)
}

/// Sprig's `subf A B...`.
fn subf(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    float_chain(&args, Decimal::sub)
}

/// Sprig's `mulf A B...`.
fn mulf(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    float_chain(&args, Decimal::mul)
}

/// Sprig's `divf A B...`: dividing by zero is an error, not an infinity.
fn divf(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    float_chain(&args, Decimal::div)
}

fn float_chain(
    args: &[Value],
    op: fn(Decimal, Decimal) -> Result<Decimal, FnError>,
) -> Result<Value, FnError> {
    let (first, rest) = args.split_first().unwrap_or((&Value::Nil, &[]));
    decimal_op(first, rest, op)
}

/// Sprig's `execDecimalOp`: folds `op` over the operands in decimal, converting each one
/// (and failing on NaN or an infinity) just before it is used, as Sprig does.
fn decimal_op(
    first: &Value,
    rest: &[Value],
    op: fn(Decimal, Decimal) -> Result<Decimal, FnError>,
) -> Result<Value, FnError> {
    let mut acc = Decimal::from_f64(cast::to_float64(first))?;
    for operand in rest {
        acc = op(acc, Decimal::from_f64(cast::to_float64(operand))?)?;
    }
    float64(acc.to_f64())
}

/// shopspring/decimal's `DivisionPrecision`: quotients keep this many decimal places.
const DIVISION_PRECISION: i64 = 16;

/// An exact decimal number `value × 10^exp`, as shopspring/decimal represents it.
#[derive(Clone, Debug)]
struct Decimal {
    value: BigInt,
    exp: i64,
}

fn pow10(n: i64) -> BigInt {
    BigInt::from(10).pow(u32::try_from(n).unwrap_or(u32::MAX))
}

impl Decimal {
    /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`.
    fn from_f64(f: f64) -> Result<Decimal, FnError> {
        if !f.is_finite() {
            let name = if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "+Inf"
            } else {
                "-Inf"
            };
            return Err(FnError::new(format!("Cannot create a Decimal from {name}")));
        }
        // Rust's `{:e}` prints the shortest round-tripping digits, e.g. `-1.25e-7`.
        let text = format!("{f:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let exponent: i64 = exponent.parse().unwrap_or(0);
        let fraction_digits = mantissa.split_once('.').map_or(0, |(_, f)| f.len());
        let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
        let value = digits.parse::<BigInt>().unwrap_or_default();
        Ok(Decimal {
            value,
            exp: exponent - fraction_digits as i64,
        })
    }

    /// The nearest float64 (`Decimal.Float64`, through an exact rational).
    fn to_f64(&self) -> f64 {
        format!("{}e{}", self.value, self.exp)
            .parse()
            .unwrap_or(f64::NAN)
    }

    /// Both values scaled to the smaller exponent.
    fn aligned(a: Decimal, b: Decimal) -> (BigInt, BigInt, i64) {
        match a.exp.cmp(&b.exp) {
            Ordering::Equal => (a.value, b.value, a.exp),
            Ordering::Less => (a.value, b.value * pow10(b.exp - a.exp), a.exp),
            Ordering::Greater => (a.value * pow10(a.exp - b.exp), b.value, b.exp),
        }
    }

    fn add(a: Decimal, b: Decimal) -> Result<Decimal, FnError> {
        let (x, y, exp) = Decimal::aligned(a, b);
        Ok(Decimal { value: x + y, exp })
    }

    fn sub(a: Decimal, b: Decimal) -> Result<Decimal, FnError> {
        let (x, y, exp) = Decimal::aligned(a, b);
        Ok(Decimal { value: x - y, exp })
    }

    fn mul(a: Decimal, b: Decimal) -> Result<Decimal, FnError> {
        Ok(Decimal {
            value: a.value * b.value,
            exp: a.exp + b.exp,
        })
    }

    /// `Decimal.Div`: the quotient rounded half away from zero to [`DIVISION_PRECISION`]
    /// decimal places.
    fn div(a: Decimal, b: Decimal) -> Result<Decimal, FnError> {
        if b.value.sign() == Sign::NoSign {
            return Err(FnError::new("decimal division by 0"));
        }
        // a / b × 10^PRECISION = (a.value / b.value) × 10^shift
        let shift = a.exp - b.exp + DIVISION_PRECISION;
        let (numerator, denominator) = if shift >= 0 {
            (a.value * pow10(shift), b.value)
        } else {
            (a.value, b.value * pow10(-shift))
        };
        let mut quotient = &numerator / &denominator;
        let remainder = &numerator % &denominator;
        if remainder.magnitude() * 2u32 >= *denominator.magnitude() {
            let negative = (numerator.sign() == Sign::Minus) != (denominator.sign() == Sign::Minus);
            quotient += if negative { -1 } else { 1 };
        }
        Ok(Decimal {
            value: quotient,
            exp: -DIVISION_PRECISION,
        })
    }
}
