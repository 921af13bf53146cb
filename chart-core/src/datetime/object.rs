//! The `time` values as template objects: `time.Time`, `time.Duration`, `time.Month`,
//! `time.Weekday` and `*time.Location`, with the methods charts call on them
//! (`now.Unix`, `(now.Add 3600).Format "..."`, `now.Month`, `(now.Sub $t).Hours`).

use std::any::Any;
use std::sync::Arc;

use super::format::{LONG_DAY_NAMES, month_name};
use super::{Duration, Location, Time};
use crate::funcs::{FnError, Func, GoType};
use crate::value::{IntType, Kind, Map, Object, Value};

/// A Go `time.Month` (January = 1): prints its English name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month(pub i64);

/// A Go `time.Weekday` (Sunday = 0): prints its English name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weekday(pub i64);

/// A Go `*time.Location`: prints its name.
#[derive(Clone, Debug)]
pub struct GoLocation(pub Location);

impl Time {
    /// This time as a template value.
    pub fn into_value(self) -> Value {
        Value::Object(Arc::new(self))
    }
}

impl Duration {
    /// This duration as a template value (a `time.Duration`).
    pub fn into_value(self) -> Value {
        Value::Object(Arc::new(self))
    }
}

/// The `time.Time` in `v`, if it holds one.
pub fn time_of(v: &Value) -> Option<&Time> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<Time>(),
        _ => None,
    }
}

/// The `time.Time` argument a Go method or function declared with a `time.Time` parameter
/// receives, or the conversion error Go reports.
pub(crate) fn expect_time(v: &Value) -> Result<&Time, FnError> {
    time_of(v).ok_or_else(|| {
        FnError::new(format!(
            "wrong type for value; expected time.Time; got {}",
            v.type_name()
        ))
    })
}

fn receiver<T: 'static>(args: &[Value]) -> Result<&T, FnError> {
    match args.first() {
        Some(Value::Object(o)) => o.as_any().downcast_ref::<T>(),
        _ => None,
    }
    .ok_or_else(|| FnError::new("runtime error: invalid memory address or nil pointer dereference"))
}

fn int_arg(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n, _)) => *n,
        _ => 0,
    }
}

fn duration_arg(args: &[Value], i: usize) -> Duration {
    match args.get(i) {
        Some(Value::Object(o)) => o
            .as_any()
            .downcast_ref::<Duration>()
            .copied()
            .unwrap_or_default(),
        _ => Duration::from_nanos(int_arg(args, i)),
    }
}

type Native = crate::funcs::NativeFn;

const fn method(name: &'static str, params: &'static [GoType], call: Native) -> Func {
    Func {
        name,
        params,
        variadic: None,
        call,
    }
}

fn time_method(args: &[Value]) -> Result<&Time, FnError> {
    receiver::<Time>(args)
}

/// The methods of `time.Time` that templates can call.
static TIME_METHODS: &[Func] = &[
    method("Add", &[GoType::Int64], |_, a| {
        Ok(time_method(&a)?.add(duration_arg(&a, 1)).into_value())
    }),
    method(
        "AddDate",
        &[GoType::Int, GoType::Int, GoType::Int],
        |_, a| {
            let t = time_method(&a)?;
            Ok(t.add_date(int_arg(&a, 1), int_arg(&a, 2), int_arg(&a, 3))
                .into_value())
        },
    ),
    method("After", &[GoType::Any], |_, a| {
        Ok(Value::Bool(
            time_method(&a)?.after(expect_time(a.get(1).unwrap_or(&Value::Nil))?),
        ))
    }),
    method("Before", &[GoType::Any], |_, a| {
        Ok(Value::Bool(
            time_method(&a)?.before(expect_time(a.get(1).unwrap_or(&Value::Nil))?),
        ))
    }),
    method("Compare", &[GoType::Any], |_, a| {
        let order = time_method(&a)?.compare(expect_time(a.get(1).unwrap_or(&Value::Nil))?);
        Ok(Value::int(order as i64))
    }),
    method("Day", &[], |_, a| {
        Ok(Value::int(i64::from(time_method(&a)?.civil().day)))
    }),
    method("Equal", &[GoType::Any], |_, a| {
        Ok(Value::Bool(
            time_method(&a)?.equal(expect_time(a.get(1).unwrap_or(&Value::Nil))?),
        ))
    }),
    method("Format", &[GoType::String], |_, a| {
        let layout = a.get(1).and_then(Value::as_str).unwrap_or("");
        Ok(Value::from(time_method(&a)?.format(layout)))
    }),
    method("Hour", &[], |_, a| {
        Ok(Value::int(i64::from(time_method(&a)?.civil().hour)))
    }),
    method("In", &[GoType::Any], |_, a| {
        let t = time_method(&a)?;
        match a.get(1) {
            Some(Value::Object(o)) => match o.as_any().downcast_ref::<GoLocation>() {
                Some(loc) => Ok(t.in_location(&loc.0).into_value()),
                None => Err(FnError::new(format!(
                    "wrong type for value; expected *time.Location; got {}",
                    o.type_name()
                ))),
            },
            // Go panics on a nil location.
            _ => Err(FnError::new("time: missing Location in call to Time.In")),
        }
    }),
    method("IsZero", &[], |_, a| {
        Ok(Value::Bool(time_method(&a)?.is_zero()))
    }),
    method("Local", &[], |_, a| {
        Ok(time_method(&a)?
            .in_location(&Location::local())
            .into_value())
    }),
    method("Location", &[], |_, a| {
        Ok(Value::Object(Arc::new(GoLocation(
            time_method(&a)?.location().clone(),
        ))))
    }),
    method("Minute", &[], |_, a| {
        Ok(Value::int(i64::from(time_method(&a)?.civil().minute)))
    }),
    method("Month", &[], |_, a| {
        Ok(Value::Object(Arc::new(Month(i64::from(
            time_method(&a)?.civil().month,
        )))))
    }),
    method("Nanosecond", &[], |_, a| {
        Ok(Value::int(i64::from(time_method(&a)?.nanosecond())))
    }),
    method("Round", &[GoType::Int64], |_, a| {
        Ok(time_method(&a)?.round(duration_arg(&a, 1)).into_value())
    }),
    method("Second", &[], |_, a| {
        Ok(Value::int(i64::from(time_method(&a)?.civil().second)))
    }),
    method("String", &[], |_, a| {
        Ok(Value::from(time_method(&a)?.go_string()))
    }),
    method("Sub", &[GoType::Any], |_, a| {
        let u = expect_time(a.get(1).unwrap_or(&Value::Nil))?;
        Ok(time_method(&a)?.sub(u).into_value())
    }),
    method("Truncate", &[GoType::Int64], |_, a| {
        Ok(time_method(&a)?.truncate(duration_arg(&a, 1)).into_value())
    }),
    method("UTC", &[], |_, a| {
        Ok(time_method(&a)?.in_location(&Location::utc()).into_value())
    }),
    method("Unix", &[], |_, a| {
        Ok(Value::int64(time_method(&a)?.unix()))
    }),
    method("UnixMicro", &[], |_, a| {
        Ok(Value::int64(time_method(&a)?.unix_micro()))
    }),
    method("UnixMilli", &[], |_, a| {
        Ok(Value::int64(time_method(&a)?.unix_milli()))
    }),
    method("UnixNano", &[], |_, a| {
        Ok(Value::int64(time_method(&a)?.unix_nano()))
    }),
    method("Weekday", &[], |_, a| {
        Ok(Value::Object(Arc::new(Weekday(i64::from(
            time_method(&a)?.civil().weekday,
        )))))
    }),
    method("Year", &[], |_, a| {
        Ok(Value::int(time_method(&a)?.civil().year))
    }),
    method("YearDay", &[], |_, a| {
        Ok(Value::int(i64::from(time_method(&a)?.civil().yday)))
    }),
];

fn duration_method(args: &[Value]) -> Result<Duration, FnError> {
    receiver::<Duration>(args).copied()
}

/// The methods of `time.Duration`.
static DURATION_METHODS: &[Func] = &[
    method("Abs", &[], |_, a| {
        Ok(duration_method(&a)?.abs().into_value())
    }),
    method("Hours", &[], |_, a| {
        Ok(Value::Float(duration_method(&a)?.hours()))
    }),
    method("Microseconds", &[], |_, a| {
        Ok(Value::int64(duration_method(&a)?.nanos() / 1000))
    }),
    method("Milliseconds", &[], |_, a| {
        Ok(Value::int64(duration_method(&a)?.nanos() / 1_000_000))
    }),
    method("Minutes", &[], |_, a| {
        Ok(Value::Float(duration_method(&a)?.minutes()))
    }),
    method("Nanoseconds", &[], |_, a| {
        Ok(Value::int64(duration_method(&a)?.nanos()))
    }),
    method("Round", &[GoType::Int64], |_, a| {
        Ok(duration_method(&a)?.round(duration_arg(&a, 1)).into_value())
    }),
    method("Seconds", &[], |_, a| {
        Ok(Value::Float(duration_method(&a)?.seconds()))
    }),
    method("String", &[], |_, a| {
        Ok(Value::from(duration_method(&a)?.to_string()))
    }),
    method("Truncate", &[GoType::Int64], |_, a| {
        Ok(duration_method(&a)?
            .truncate(duration_arg(&a, 1))
            .into_value())
    }),
];

static MONTH_METHODS: &[Func] = &[method("String", &[], |_, a| {
    Ok(Value::from(receiver::<Month>(&a)?.go_string()))
})];

static WEEKDAY_METHODS: &[Func] = &[method("String", &[], |_, a| {
    Ok(Value::from(receiver::<Weekday>(&a)?.go_string()))
})];

static LOCATION_METHODS: &[Func] = &[method("String", &[], |_, a| {
    Ok(Value::from(receiver::<GoLocation>(&a)?.0.name()))
})];

fn find(table: &'static [Func], name: &str) -> Option<&'static Func> {
    table.iter().find(|f| f.name == name)
}

impl Object for Time {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn kind(&self) -> Kind {
        Kind::Struct
    }

    fn method(&self, name: &str) -> Option<&'static Func> {
        find(TIME_METHODS, name)
    }

    fn go_string(&self) -> String {
        Time::go_string(self)
    }

    /// `MarshalJSON`: an RFC 3339 string with nanoseconds. Go fails for years outside
    /// 0..=9999; the text is produced anyway here.
    fn to_json_value(&self) -> Value {
        let text = self
            .rfc3339_nano()
            .unwrap_or_else(|_| self.format("2006-01-02T15:04:05.999999999Z07:00"));
        Value::from(text)
    }

    fn deep_equal(&self, other: &dyn Object) -> bool {
        other.as_any().downcast_ref::<Time>().is_some_and(|u| {
            self.sec == u.sec
                && self.nsec == u.nsec
                && self.mono == u.mono
                && self.loc.name() == u.loc.name()
        })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for Duration {
    fn type_name(&self) -> &str {
        "time.Duration"
    }

    fn kind(&self) -> Kind {
        Kind::Int(IntType::Int64)
    }

    fn method(&self, name: &str) -> Option<&'static Func> {
        find(DURATION_METHODS, name)
    }

    fn go_string(&self) -> String {
        self.to_string()
    }

    fn to_json_value(&self) -> Value {
        Value::int64(self.nanos())
    }

    fn is_true(&self) -> bool {
        self.nanos() != 0
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Month {
    /// Go's `Month.String()`.
    pub fn go_string(&self) -> String {
        match u8::try_from(self.0) {
            Ok(m) if (1..=12).contains(&m) => month_name(m),
            _ => format!("%!Month({})", self.0),
        }
    }
}

impl Weekday {
    /// Go's `Weekday.String()`.
    pub fn go_string(&self) -> String {
        match usize::try_from(self.0)
            .ok()
            .and_then(|d| LONG_DAY_NAMES.get(d))
        {
            Some(name) => (*name).to_string(),
            None => format!("%!Weekday({})", self.0),
        }
    }
}

impl Object for Month {
    fn type_name(&self) -> &str {
        "time.Month"
    }

    fn kind(&self) -> Kind {
        Kind::Int(IntType::Int)
    }

    fn method(&self, name: &str) -> Option<&'static Func> {
        find(MONTH_METHODS, name)
    }

    fn go_string(&self) -> String {
        Month::go_string(self)
    }

    fn to_json_value(&self) -> Value {
        Value::int(self.0)
    }

    fn is_true(&self) -> bool {
        self.0 != 0
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for Weekday {
    fn type_name(&self) -> &str {
        "time.Weekday"
    }

    fn kind(&self) -> Kind {
        Kind::Int(IntType::Int)
    }

    fn method(&self, name: &str) -> Option<&'static Func> {
        find(WEEKDAY_METHODS, name)
    }

    fn go_string(&self) -> String {
        Weekday::go_string(self)
    }

    fn to_json_value(&self) -> Value {
        Value::int(self.0)
    }

    fn is_true(&self) -> bool {
        self.0 != 0
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for GoLocation {
    fn type_name(&self) -> &str {
        "*time.Location"
    }

    fn kind(&self) -> Kind {
        Kind::Ptr
    }

    fn method(&self, name: &str) -> Option<&'static Func> {
        find(LOCATION_METHODS, name)
    }

    fn go_string(&self) -> String {
        self.0.name().to_string()
    }

    /// A `Location` has no exported fields: `{}`.
    fn to_json_value(&self) -> Value {
        Value::Map(Map::new())
    }

    fn deep_equal(&self, other: &dyn Object) -> bool {
        other
            .as_any()
            .downcast_ref::<GoLocation>()
            .is_some_and(|o| o.0.same(&self.0))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
