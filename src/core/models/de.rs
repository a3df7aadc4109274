//! A thin [`Deserializer`](serde::Deserializer) over [`serde_json::Value`] for the models.
//!
//! Why not `serde_json::from_value`: `serde_derive` gives every struct both a `visit_map` and
//! a `visit_seq` (a struct written as a JSON array), and serde_json's `Value` deserializer
//! reaches both, so both are compiled into the wasm binary for every model. FAPI never sends
//! a resource as an array; this deserializer accepts objects only for structs, so only
//! `visit_map` is compiled. Everything else (strings, numbers, maps such as metadata, raw
//! `Value`s, open enums) is forwarded to serde_json's own `Value` deserializer unchanged.

use serde::de::{self, DeserializeSeed, Unexpected, Visitor};
use serde_json::{Error, Map, Value};

/// Deserializes `T` from a [`Value`] (the models' `from_value`).
pub(crate) fn from_value<T: de::DeserializeOwned>(value: Value) -> Result<T, Error> {
    T::deserialize(ValueDe(value))
}

/// The deserializer: a `Value` whose structs, sequences and options are walked here, so that
/// nested models come back to this deserializer.
struct ValueDe(Value);

/// serde_json's description of a `Value` in "invalid type" errors.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

macro_rules! forward {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                de::Deserializer::$method(self.0, visitor)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for ValueDe {
    type Error = Error;

    forward! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_map deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(ValueDe(other)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => {
                let len = items.len();
                let mut seq = SeqDe(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                if seq.0.len() == 0 {
                    Ok(value)
                } else {
                    Err(de::Error::invalid_length(len, &"fewer elements in array"))
                }
            }
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visit_object(map, visitor),
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_unit_struct(self.0, name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_tuple(self.0, len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_tuple_struct(self.0, name, len, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_enum(self.0, name, variants, visitor)
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    map: Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Error> {
    let len = map.len();
    let mut access = MapDe {
        entries: map.into_iter(),
        value: None,
    };
    let value = visitor.visit_map(&mut access)?;
    if access.entries.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in map"))
    }
}

struct SeqDe(std::vec::IntoIter<Value>);

impl<'de> de::SeqAccess<'de> for SeqDe {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.0.next() {
            Some(value) => seed.deserialize(ValueDe(value)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct MapDe {
    entries: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> de::MapAccess<'de> for MapDe {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(de::value::StringDeserializer::<Error>::new(key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(ValueDe(value)),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::super::{
        from_json, Client, ClientEnvelope, Environment, ErrorEnvelope, Session, SessionStatus, User,
    };

    const CLIENT: &str = r#"{"response":{"object":"client","id":"client_1","sessions":[
      {"object":"session","id":"sess_1","status":"active","expire_at":1767916800000,
       "abandon_at":1769904000000,"last_active_at":1767312000000,"last_active_organization_id":"org_1",
       "last_active_token":{"object":"token","jwt":"eyJ.eyJ.sig"},
       "actor":{"sub":"user_0","iss":"https://dashboard.clerk.com"},"tasks":[{"key":"choose-organization"}],
       "factor_verification_age":[0,-1],
       "user":{"object":"user","id":"user_1","first_name":"Ada","last_name":null,
        "primary_email_address_id":"idn_1","email_addresses":[{"id":"idn_1","email_address":"ada@example.com",
         "verification":{"status":"verified","strategy":"email_code","attempts":1,"expire_at":null},
         "linked_to":null}],
        "phone_numbers":null,"external_accounts":[{"id":"eac_1","provider":"oauth_google",
         "verification":{"status":"someday_new"},"public_metadata":{"a":[1,2,{"b":null}]}}],
        "organization_memberships":[{"id":"orgmem_1","role":"org:admin","permissions":["org:sys:read"],
         "organization":{"id":"org_1","name":"Acme","slug":"acme","public_metadata":null}}],
        "public_metadata":{"plan":"pro","n":1.5,"big":18446744073709551615},"unsafe_metadata":null,
        "unknown_field":{"x":[true]},"created_at":1,"updated_at":2},
       "public_user_data":{"identifier":"ada@example.com"},"created_at":1,"updated_at":2},
      {"id":"sess_2","status":"a_status_from_the_future","user":null,"tasks":null,"factor_verification_age":"x"}],
     "sign_in":{"id":"sia_1","status":"needs_first_factor"},"sign_up":null,
     "last_active_session_id":"sess_1","cookie_expires_at":null,"captcha_bypass":true},
     "client":{}}"#;

    /// The models read the same through this deserializer as through serde_json's.
    #[test]
    fn same_result_as_serde_json() {
        let ours: ClientEnvelope<Client> = from_json(CLIENT).unwrap();
        let theirs: ClientEnvelope<Client> = serde_json::from_str(CLIENT).unwrap();
        assert_eq!(ours, theirs);
        let client = ours.response.unwrap();
        assert_eq!(client.sessions.len(), 2);
        assert_eq!(
            client.sessions[1].status,
            SessionStatus::Other("a_status_from_the_future".into())
        );
        let user = client.sessions[0].user.as_ref().unwrap();
        assert_eq!(
            user.organization_memberships[0]
                .organization
                .slug
                .as_deref(),
            Some("acme")
        );
        assert_eq!(client.sessions[0].factor_verification_age, Some([0, -1]));

        let env = r#"{"auth_config":{"single_session_mode":true},"display_config":
            {"sign_in_url":"https://accounts.example.com/sign-in"},"organization_settings":{"enabled":true},
            "maintenance_mode":false}"#;
        let ours: Environment = from_json(env).unwrap();
        assert_eq!(ours, serde_json::from_str::<Environment>(env).unwrap());

        let err = r#"{"errors":[{"code":"signed_out","message":"m","meta":{"session_id":"s"}}],"clerk_trace_id":"t"}"#;
        let ours: ErrorEnvelope = from_json(err).unwrap();
        assert_eq!(ours, serde_json::from_str::<ErrorEnvelope>(err).unwrap());
    }

    /// Wrong shapes are errors, as with serde_json.
    #[test]
    fn invalid_input_is_an_error() {
        for bad in [
            r#"{"id":5}"#,
            r#"{"sessions":[]}"#,
            r#"{"id":"c","sessions":{}}"#,
            r#"{"id":"c","sessions":[{"id":"s","status":"active","last_active_token":"x"}]}"#,
            r#"{"id":"c","created_at":"yesterday"}"#,
            "null",
        ] {
            assert!(from_json::<Client>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<Client>(bad).is_err(), "{bad}");
        }
        // The one difference: a struct written as a JSON array (serde_json reads the fields
        // in order). FAPI never sends one; here it is an invalid type.
        assert!(serde_json::from_str::<Client>(r#"["c"]"#).is_ok());
        assert!(from_json::<Client>(r#"["c"]"#).is_err());
        assert!(from_json::<Session>(r#"{"id":"s","status":7}"#).is_err());
        assert!(from_json::<User>(r#"{"id":"u","public_metadata":[1]}"#).is_err());
    }
}
