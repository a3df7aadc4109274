//! Property tests (`cargo test prop_`): arbitrary inputs and checks, no panic, fail closed.

use super::*;
use crate::test_support::{within, CASE_LIMIT};
use proptest::prelude::*;

fn arb_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "(org:|o:|u:|user:|organization:|ou:|uo:)?[a-z:]{0,6}",
        any::<String>()
    ]
}

fn arb_age() -> impl Strategy<Value = i64> {
    prop_oneof![-3i64..2_000, any::<i64>(), Just(i64::MIN), Just(i64::MAX)]
}

fn arb_check() -> impl Strategy<Value = Check> {
    let level = prop_oneof![
        Just(VerificationLevel::FirstFactor),
        Just(VerificationLevel::SecondFactor),
        Just(VerificationLevel::MultiFactor),
    ];
    let requirement = prop_oneof![
        Just(Reverification::StrictMfa),
        Just(Reverification::Strict),
        Just(Reverification::Moderate),
        Just(Reverification::Lax),
        (level, arb_age()).prop_map(|(level, after_minutes)| Reverification::Custom {
            level,
            after_minutes
        }),
    ];
    prop_oneof![
        arb_name().prop_map(Check::Role),
        arb_name().prop_map(Check::Permission),
        arb_name().prop_map(Check::Feature),
        arb_name().prop_map(Check::Plan),
        requirement.prop_map(Check::Reverification),
    ]
}

fn arb_inputs() -> impl Strategy<Value = AuthorizationInputs> {
    (
        proptest::option::of(prop_oneof![Just(String::new()), "user_[a-z0-9]{1,8}"]),
        proptest::option::of(prop_oneof![Just(String::new()), "org_[a-z]{1,4}"]),
        proptest::option::of(arb_name()),
        proptest::collection::vec(arb_name(), 0..6),
        proptest::option::of((arb_age(), arb_age()).prop_map(|(a, b)| [a, b])),
        proptest::collection::vec(arb_name(), 0..6),
        proptest::collection::vec(arb_name(), 0..6),
    )
        .prop_map(
            |(user_id, org_id, org_role, org_permissions, fva, features, plans)| {
                AuthorizationInputs {
                    user_id,
                    org_id,
                    org_role,
                    org_permissions,
                    factor_verification_age: fva,
                    features,
                    plans,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn prop_has_never_panics_and_fails_closed(
        inputs in arb_inputs(),
        checks in proptest::collection::vec(arb_check(), 0..5),
    ) {
        let (all, each) = within(CASE_LIMIT, {
            let (inputs, checks) = (inputs.clone(), checks.clone());
            move || {
                let each: Vec<bool> = checks.iter().map(|c| inputs.has(c)).collect();
                (inputs.has_all(&checks), each)
            }
        });
        // AND of the single checks, false with no check or no user.
        prop_assert_eq!(all, !each.is_empty() && each.iter().all(|b| *b));
        if inputs.user_id.as_deref().is_none_or(str::is_empty) {
            prop_assert!(!all && each.iter().all(|b| !b));
        }
        for (check, passed) in checks.iter().zip(&each) {
            match check {
                Check::Role(_) | Check::Permission(_) if *passed => {
                    prop_assert!(inputs.org_id.as_deref().is_some_and(|o| !o.is_empty()));
                }
                Check::Feature(_) if *passed => prop_assert!(!inputs.features.is_empty()),
                Check::Plan(_) if *passed => prop_assert!(!inputs.plans.is_empty()),
                Check::Reverification(r) if *passed => {
                    let [a, b] = inputs.factor_verification_age.unwrap_or([-2, -2]);
                    prop_assert!(a >= -1 && b >= -1 && (a >= 0 || b >= 0));
                    prop_assert!(r.config().is_some());
                }
                _ => {}
            }
        }
    }
}
