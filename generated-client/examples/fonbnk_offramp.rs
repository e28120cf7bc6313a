//! A Fonbnk off-ramp: best offer → validate the user's fields → create the order → confirm it
//! with the transaction hash → read the order → the merchant's orders, page by page.
//!
//! ```sh
//! FONBNK_BASE_URL=https://sandbox-api.fonbnk.com FONBNK_CLIENT_ID=… FONBNK_SECRET=… \
//! FONBNK_ADDRESS=0x… FONBNK_TX_HASH=0x… \
//! cargo run -p generated-client --example fonbnk_offramp
//! ```
//!
//! Optional: `FONBNK_AMOUNT` (USD, default 10), `FONBNK_COUNTRY` (default `NG`),
//! `FONBNK_BANK_CODE`, `FONBNK_ACCOUNT_NUMBER` (the user's answers to the offer's required
//! fields). Prints every step's typed result and exits 0; a failed step exits 1 naming the step.

use std::collections::BTreeMap;
use std::fmt::{self, Debug};
use std::future::Future;
use std::process::ExitCode;

use generated_client::fonbnk::{operations, types, Client};
use generated_client::runtime::futures_util::StreamExt;
use generated_client::runtime::{ClientConfig, Error};

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(missing) => {
            eprintln!("error: {missing}");
            return ExitCode::from(2);
        }
    };
    match flow(&settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::FAILURE
        }
    }
}

/// What the flow needs, from the environment.
pub struct Settings {
    pub base_url: String,
    pub client_id: String,
    pub secret: String,
    /// The wallet the user sends the crypto from.
    pub address: String,
    /// The hash of the user's transfer, which confirms the order.
    pub tx_hash: String,
    pub amount: f64,
    pub country: String,
    pub bank_code: String,
    pub account_number: String,
}

impl Settings {
    pub fn from_env() -> Result<Settings, String> {
        let var = |name: &str| {
            std::env::var(name)
                .map_err(|_| format!("set {name} (see the top of examples/fonbnk_offramp.rs)"))
        };
        Ok(Settings {
            base_url: var("FONBNK_BASE_URL")?.trim_end_matches('/').to_string(),
            client_id: var("FONBNK_CLIENT_ID")?,
            secret: var("FONBNK_SECRET")?,
            address: var("FONBNK_ADDRESS")?,
            tx_hash: var("FONBNK_TX_HASH")?,
            amount: match var("FONBNK_AMOUNT") {
                Ok(amount) => amount
                    .parse()
                    .map_err(|e| format!("FONBNK_AMOUNT is not a number: {e}"))?,
                Err(_) => 10.0,
            },
            country: var("FONBNK_COUNTRY").unwrap_or_else(|_| "NG".to_string()),
            bank_code: var("FONBNK_BANK_CODE").unwrap_or_else(|_| "044".to_string()),
            account_number: var("FONBNK_ACCOUNT_NUMBER")
                .unwrap_or_else(|_| "0123456789".to_string()),
        })
    }
}

/// The step that failed, and why.
#[derive(Debug)]
pub struct Failure {
    pub step: &'static str,
    pub error: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step `{}` failed: {}", self.step, self.error)
    }
}

fn failed(step: &'static str, error: impl fmt::Display) -> Failure {
    Failure {
        step,
        error: error.to_string(),
    }
}

/// Runs one step: prints its typed result, or names it in the failure.
async fn step<T: Debug, E: Debug>(
    name: &'static str,
    call: impl Future<Output = Result<T, Error<E>>>,
) -> Result<T, Failure> {
    match call.await {
        Ok(value) => {
            println!("{name}: {value:?}");
            Ok(value)
        }
        Err(error) => Err(failed(name, error)),
    }
}

/// Orders per page.
const PAGE_SIZE: i64 = 2;

pub async fn flow(settings: &Settings) -> Result<(), Failure> {
    let signer = generated_client::fonbnk::signer(settings.client_id.clone(), &settings.secret)
        .map_err(|e| failed("configure the client", e))?;
    let client = Client::new(ClientConfig::new(settings.base_url.as_str()).auth(signer))
        .map_err(|e| failed("configure the client", e))?;

    let best = step(
        "best offer",
        client.get_offramp_best_offer(&operations::GetOfframpBestOffer {
            amount: settings.amount,
            currency: types::WidgetAmountCurrency::Crypto,
            country_iso_code: settings.country.clone(),
            payment_channel: types::OffRampPaymentChannel::Bank,
            network: types::OfframpNetwork::Polygon,
            asset: types::OfframpAsset::Usdc,
            carrier_id: None,
        }),
    )
    .await?;
    let offer_id = best
        .quote_id
        .clone()
        .ok_or_else(|| failed("best offer", "the offer has no id"))?;
    // The user's answer to each field the offer requires.
    let mut answers = BTreeMap::new();
    let required = best.offer.as_ref().and_then(|o| o.required_fields.as_ref());
    for (name, field) in required.into_iter().flatten() {
        let answer = match name.as_str() {
            "bank_code" => settings.bank_code.clone(),
            "account_number" => settings.account_number.clone(),
            _ => field
                .options
                .as_ref()
                .and_then(|options| options.first())
                .and_then(|option| option.value.clone())
                .unwrap_or_default(),
        };
        answers.insert(name.clone(), answer);
    }

    step(
        "validate fields",
        client.validate_offramp_fields(&operations::ValidateOfframpFields {
            body: types::ValidateOfframpFieldsBody {
                offer_id: offer_id.clone(),
                required_fields: Some(answers.clone()),
            },
        }),
    )
    .await?;
    let order = step(
        "create order",
        client.create_offramp_order(&operations::CreateOfframpOrder {
            body: types::CreateOfframpOrderBody {
                offer_id,
                payment_type: types::OfframpPaymentType::CryptoWallet,
                network: types::OfframpNetwork::Polygon,
                asset: types::OfframpAsset::Usdc,
                address: settings.address.clone(),
                currency: types::WidgetAmountCurrency::Crypto,
                amount: settings.amount,
                ip: None,
                order_params: None,
                required_fields: Some(answers),
            },
        }),
    )
    .await?;
    let order_id = order
        .id
        .clone()
        .ok_or_else(|| failed("create order", "the order has no id"))?;
    step(
        "confirm order",
        client.confirm_offramp_order(&operations::ConfirmOfframpOrder {
            body: types::ConfirmOfframpOrderBody {
                order_id: order_id.clone(),
                hash: settings.tx_hash.clone(),
            },
        }),
    )
    .await?;
    step(
        "get order",
        client.get_offramp_order(&operations::GetOfframpOrder {
            id: order_id.clone(),
        }),
    )
    .await?;

    let request = operations::GetOfframpOrders {
        cursor: None,
        limit: PAGE_SIZE,
        payment_type: None,
        network: None,
        asset: None,
        from_address: None,
        user_phone_number: None,
        hash: None,
        country_iso_code: None,
        offramp_type: None,
        order_params: None,
        status: None,
    };
    let mut orders = client.get_offramp_orders_stream(request);
    let mut seen = 0;
    let mut found = false;
    while let Some(listed) = orders.next().await {
        let listed = listed.map_err(|e| failed("list orders", e))?;
        seen += 1;
        found |= listed.id.as_deref() == Some(order_id.as_str());
        println!("list orders: {listed:?}");
    }
    if !found {
        return Err(failed(
            "list orders",
            format!("the new order is not among the {seen} listed"),
        ));
    }
    println!("list orders: {seen} orders");
    Ok(())
}
