// What `emit::types` prints for the IR in `union_tests.rs`, compiled there and checked with
// serde. When the emitter changes, `emitted_unions_are_the_serde_checked_shapes` prints the
// new text: put it below this header, then check that the serde tests still pass.

use runtime::serde::{Deserialize, Serialize};
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "runtime::serde")]
pub struct Cat {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lives: Option<i32>,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "runtime::serde")]
pub struct Dog {
    pub kind: String,
    pub bark: bool,
}
/// A pet, by its `kind`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(crate = "runtime::serde")]
#[serde(untagged)]
pub enum Pet {
    /// Selected by `kind`: `cat`.
    Cat(Cat),
    /// Selected by `kind`: `dog`, `puppy`.
    Dog(Dog),
    /// A value whose `kind` this version of the client does not know, kept as sent.
    Unknown(runtime::serde_json::Value),
}
impl<'de> Deserialize<'de> for Pet {
    fn deserialize<D: runtime::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let value = runtime::serde_json::Value::deserialize(deserializer)?;
        let tag = value.get("kind").and_then(runtime::serde_json::Value::as_str);
        let variant: Result<Self, runtime::serde_json::Error> = match tag {
            Some("cat") => runtime::serde_json::from_value(value).map(Self::Cat),
            Some("dog" | "puppy") => {
                runtime::serde_json::from_value(value).map(Self::Dog)
            }
            _ => Ok(Self::Unknown(value)),
        };
        variant.map_err(runtime::serde::de::Error::custom)
    }
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "runtime::serde")]
pub struct Square {
    pub code: i64,
    pub side: f64,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "runtime::serde")]
pub struct Rect {
    pub code: i64,
    pub width: f64,
    pub height: f64,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "runtime::serde")]
pub struct Circle {
    pub code: i64,
    pub radius: f64,
}
/// A shape, by its `code`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(crate = "runtime::serde")]
#[serde(untagged)]
pub enum Shape {
    /// Selected by `code`: `1`.
    Square(Square),
    /// Selected by `code`: `1`.
    Rect(Rect),
    /// Selected by `code`: `2`.
    Circle(Circle),
    /// Tried when no variant is selected by `code`.
    Label(String),
    /// A value whose `code` this version of the client does not know, kept as sent.
    Unknown(runtime::serde_json::Value),
}
impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: runtime::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let value = runtime::serde_json::Value::deserialize(deserializer)?;
        let tag = value.get("code").and_then(runtime::serde_json::Value::as_i64);
        let variant: Result<Self, runtime::serde_json::Error> = match tag {
            Some(1) => {
                runtime::serde_json::from_value(value.clone())
                    .map(Self::Square)
                    .or_else(|_| runtime::serde_json::from_value(value).map(Self::Rect))
            }
            Some(2) => runtime::serde_json::from_value(value).map(Self::Circle),
            _ => {
                runtime::serde_json::from_value(value.clone())
                    .map(Self::Label)
                    .or_else(|_| Ok(Self::Unknown(value)))
            }
        };
        variant.map_err(runtime::serde::de::Error::custom)
    }
}
/// Any of a few things.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "runtime::serde")]
#[serde(untagged)]
pub enum Value {
    Integer(i64),
    Text(String),
    Cat(Cat),
    /// A value of a shape this version of the client does not know, kept as sent.
    Unknown(runtime::serde_json::Value),
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "runtime::serde")]
pub struct Lit {
    pub op: String,
    pub value: i64,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "runtime::serde")]
pub struct Not {
    pub op: String,
    pub inner: Box<Expr>,
}
/// An expression, by its `op`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(crate = "runtime::serde")]
#[serde(untagged)]
pub enum Expr {
    /// Selected by `op`: `lit`.
    Lit(Lit),
    /// Selected by `op`: `not`.
    Not(Box<Not>),
    /// A value whose `op` this version of the client does not know, kept as sent.
    Unknown(runtime::serde_json::Value),
}
impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: runtime::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let value = runtime::serde_json::Value::deserialize(deserializer)?;
        let tag = value.get("op").and_then(runtime::serde_json::Value::as_str);
        let variant: Result<Self, runtime::serde_json::Error> = match tag {
            Some("lit") => runtime::serde_json::from_value(value).map(Self::Lit),
            Some("not") => runtime::serde_json::from_value(value).map(Self::Not),
            _ => Ok(Self::Unknown(value)),
        };
        variant.map_err(runtime::serde::de::Error::custom)
    }
}
/// A disk, by its `state`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(crate = "runtime::serde")]
#[serde(tag = "state")]
pub enum Disk {
    /// Selected by `state`: `creating`.
    #[serde(rename = "creating")]
    Creating,
    /// Selected by `state`: `attaching`.
    #[serde(rename = "attaching")]
    Attaching(DiskAttaching),
    /// A value whose `state` this version of the client does not know, kept as sent.
    #[serde(untagged)]
    Unknown(runtime::serde_json::Value),
}
impl<'de> Deserialize<'de> for Disk {
    fn deserialize<D: runtime::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let value = runtime::serde_json::Value::deserialize(deserializer)?;
        let tag = value.get("state").and_then(runtime::serde_json::Value::as_str);
        let variant: Result<Self, runtime::serde_json::Error> = match tag {
            Some("creating") => Ok(Self::Creating),
            Some("attaching") => {
                runtime::serde_json::from_value(value).map(Self::Attaching)
            }
            _ => Ok(Self::Unknown(value)),
        };
        variant.map_err(runtime::serde::de::Error::custom)
    }
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "runtime::serde")]
pub struct DiskAttaching {
    pub instance: String,
}
