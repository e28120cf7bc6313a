//! A Ripio off-ramp's setup and follow-up: token → fiat account requirements → create the
//! customer's fiat account → confirm it → the partner's off-ramp orders, page by page.
//!
//! ```sh
//! RIPIO_BASE_URL=https://skala-sandbox.ripio.com RIPIO_CLIENT_ID=… RIPIO_CLIENT_SECRET=… \
//! RIPIO_CUSTOMER_ID=8142b065-79c4-4f48-9e33-11b17bc658d4 \
//! cargo run -p generated-client --example ripio_offramp
//! ```
//!
//! Optional: `RIPIO_PAYMENT_METHOD` (default `bank_transfer`), `RIPIO_CBU` (the account to pay
//! out to). Prints every step's typed result and exits 0; a failed step exits 1 naming the step.

use std::collections::BTreeMap;
use std::fmt::{self, Debug};
use std::future::Future;
use std::process::ExitCode;

use generated_client::ripio::{operations, types, Client};
use generated_client::runtime::serde_json::Value;
use generated_client::runtime::{uuid::Uuid, ClientConfig, Error};

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
    pub client_secret: String,
    pub customer_id: Uuid,
    pub payment_method: String,
    pub cbu: String,
}

impl Settings {
    pub fn from_env() -> Result<Settings, String> {
        let var = |name: &str| {
            std::env::var(name)
                .map_err(|_| format!("set {name} (see the top of examples/ripio_offramp.rs)"))
        };
        Ok(Settings {
            base_url: var("RIPIO_BASE_URL")?.trim_end_matches('/').to_string(),
            client_id: var("RIPIO_CLIENT_ID")?,
            client_secret: var("RIPIO_CLIENT_SECRET")?,
            customer_id: var("RIPIO_CUSTOMER_ID")?
                .parse()
                .map_err(|e| format!("RIPIO_CUSTOMER_ID is not a UUID: {e}"))?,
            payment_method: var("RIPIO_PAYMENT_METHOD")
                .unwrap_or_else(|_| "bank_transfer".to_string()),
            cbu: var("RIPIO_CBU").unwrap_or_else(|_| "0100000000000000000001".to_string()),
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

/// Off-ramp orders per page.
const PAGE_SIZE: i64 = 2;

pub async fn flow(settings: &Settings) -> Result<(), Failure> {
    let base = &settings.base_url;
    let credentials = generated_client::ripio::client_credentials(
        base,
        settings.client_id.clone(),
        settings.client_secret.clone(),
    );
    credentials
        .token()
        .await
        .map_err(|e| failed("acquire access token", e))?;
    println!("acquire access token: obtained");
    let client = Client::new(ClientConfig::new(base.as_str()).auth(credentials))
        .map_err(|e| failed("configure the client", e))?;

    let requirements = step(
        "fiat account requirements",
        client.retrieve_fiat_account_requirements(&operations::RetrieveFiatAccountRequirements {
            payment_method: settings.payment_method.clone(),
        }),
    )
    .await?;
    let mut fields: BTreeMap<String, Value> = BTreeMap::new();
    for requirement in requirements.iter().filter(|r| r.required) {
        fields.insert(
            requirement.field_name.clone(),
            Value::String(settings.cbu.clone()),
        );
    }
    let account = step(
        "create fiat account",
        client.create_fiat_account(&operations::CreateFiatAccount {
            body: types::FiatAccountCreateRequest {
                customer_id: settings.customer_id,
                payment_method_type: settings.payment_method.clone(),
                account_fields: fields,
            },
        }),
    )
    .await?;
    step(
        "confirm fiat account",
        client.confirm_fiat_account(&operations::ConfirmFiatAccount {
            fiat_account_id: account.fiat_account_id,
        }),
    )
    .await?;

    let request = operations::ListOffRampOrders {
        limit: Some(PAGE_SIZE),
        ..Default::default()
    };
    let mut pages = client.list_off_ramp_orders_pages(request);
    while let Some(page) = pages.next_page().await {
        let page = page.map_err(|e| failed("list off-ramp orders", e))?;
        println!("list off-ramp orders: page of {}: {page:?}", page.len());
    }
    println!("list off-ramp orders: {} pages", pages.pages_fetched());
    Ok(())
}
