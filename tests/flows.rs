//! The runnable examples' flows against the stateful fakes of the providers (`tests/fakes/`),
//! on loopback: each flow runs end to end, leaves the fake in the state the flow implies, and a
//! failure names its step.

mod fakes;

// The examples, compiled here too so that their flows run against the fakes; their `main`
// (configuration from the environment) is used only when they run as examples.
#[allow(dead_code)]
#[path = "../generated-client/examples/fonbnk_offramp.rs"]
mod fonbnk_offramp;
#[allow(dead_code)]
#[path = "../generated-client/examples/ripio_offramp.rs"]
mod ripio_offramp;
#[allow(dead_code)]
#[path = "../generated-client/examples/ripio_onramp.rs"]
mod ripio_onramp;

use fakes::fonbnk::FonbnkFake;
use fakes::ripio::RipioFake;

fn onramp_settings(fake: &RipioFake, secret: &str) -> ripio_onramp::Settings {
    ripio_onramp::Settings {
        base_url: fake.uri(),
        client_id: fakes::ripio::CLIENT_ID.to_string(),
        client_secret: secret.to_string(),
        email: "ada@example.com".to_string(),
        deposit_address: "0x4e88BBeFF059BDDF5BF90ee0816E86eDf4214b32".to_string(),
    }
}

#[tokio::test]
async fn the_ripio_onramp_flow_completes_its_order() {
    let fake = RipioFake::start().await;
    ripio_onramp::flow(&onramp_settings(&fake, fakes::ripio::CLIENT_SECRET))
        .await
        .expect("the on-ramp flow runs to the end");
    assert_eq!(fake.customers(), 1);
    assert_eq!(fake.order_statuses(), ["COMPLETED"]);
}

#[tokio::test]
async fn a_failed_step_is_named() {
    let fake = RipioFake::start().await;
    let failure = ripio_onramp::flow(&onramp_settings(&fake, "a wrong secret"))
        .await
        .expect_err("the token is refused");
    assert_eq!(failure.step, "acquire access token");
    assert!(
        failure
            .to_string()
            .starts_with("step `acquire access token` failed"),
        "{failure}"
    );
    assert_eq!(fake.customers(), 0);
}

#[tokio::test]
async fn the_ripio_offramp_flow_sets_up_a_fiat_account_and_pages_the_orders() {
    let fake = RipioFake::start().await;
    // The off-ramp flow works for an existing customer: the on-ramp flow creates one.
    ripio_onramp::flow(&onramp_settings(&fake, fakes::ripio::CLIENT_SECRET))
        .await
        .expect("the on-ramp flow runs");
    let settings = ripio_offramp::Settings {
        base_url: fake.uri(),
        client_id: fakes::ripio::CLIENT_ID.to_string(),
        client_secret: fakes::ripio::CLIENT_SECRET.to_string(),
        customer_id: fakes::uuid(1, 0).parse().unwrap(),
        payment_method: "bank_transfer".to_string(),
        cbu: "0100000000000000000001".to_string(),
    };
    ripio_offramp::flow(&settings)
        .await
        .expect("the off-ramp flow runs to the end");

    let unknown = ripio_offramp::Settings {
        customer_id: fakes::uuid(1, 99).parse().unwrap(),
        ..settings
    };
    let failure = ripio_offramp::flow(&unknown)
        .await
        .expect_err("an unknown customer");
    assert_eq!(failure.step, "create fiat account");
}

fn fonbnk_settings(fake: &FonbnkFake, secret: &str) -> fonbnk_offramp::Settings {
    fonbnk_offramp::Settings {
        base_url: fake.uri(),
        client_id: fakes::fonbnk::CLIENT_ID.to_string(),
        secret: secret.to_string(),
        address: "0x866B933Aabc4F9813405C6E393dbD4B600eF3E2e".to_string(),
        tx_hash: "0xabc123".to_string(),
        amount: 10.0,
        country: "NG".to_string(),
        bank_code: "044".to_string(),
        account_number: "0123456789".to_string(),
    }
}

#[tokio::test]
async fn the_fonbnk_offramp_flow_confirms_its_order_and_finds_it_in_the_pages() {
    let fake = FonbnkFake::start().await;
    fonbnk_offramp::flow(&fonbnk_settings(&fake, fakes::fonbnk::SECRET))
        .await
        .expect("the off-ramp flow runs to the end");
    let statuses = fake.order_statuses();
    assert_eq!(statuses.len(), fakes::fonbnk::PAST_ORDERS + 1);
    assert_eq!(
        statuses.last().map(String::as_str),
        Some("transaction_confirmed")
    );
}

#[tokio::test]
async fn a_wrong_signature_fails_the_first_fonbnk_step() {
    let fake = FonbnkFake::start().await;
    let other = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    let failure = fonbnk_offramp::flow(&fonbnk_settings(&fake, other))
        .await
        .expect_err("the fake refuses the signature");
    assert_eq!(failure.step, "best offer");
}
