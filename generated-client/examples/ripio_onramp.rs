//! A Ripio on-ramp from start to end: token → create customer → terms → accept terms → check
//! KYC (not approved yet) → KYC requirements → submit KYC → latest submission → quote → on-ramp
//! order → simulate the deposit (sandbox) → the customer's transactions, page by page, until
//! the order completes.
//!
//! ```sh
//! RIPIO_BASE_URL=https://skala-sandbox.ripio.com RIPIO_CLIENT_ID=… RIPIO_CLIENT_SECRET=… \
//! RIPIO_CUSTOMER_EMAIL=ada@example.com \
//! cargo run -p generated-client --example ripio_onramp
//! ```
//!
//! Optional: `RIPIO_DEPOSIT_ADDRESS` (the wallet that receives the crypto). Prints every step's
//! typed result and exits 0; a failed step exits 1 naming the step.

use std::collections::BTreeMap;
use std::fmt::{self, Debug};
use std::future::Future;
use std::process::ExitCode;
use std::time::Duration;

use generated_client::ripio::{operations, types, Client};
use generated_client::runtime::futures_util::StreamExt;
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
    pub email: String,
    pub deposit_address: String,
}

impl Settings {
    pub fn from_env() -> Result<Settings, String> {
        let var = |name: &str| {
            std::env::var(name)
                .map_err(|_| format!("set {name} (see the top of examples/ripio_onramp.rs)"))
        };
        Ok(Settings {
            base_url: var("RIPIO_BASE_URL")?.trim_end_matches('/').to_string(),
            client_id: var("RIPIO_CLIENT_ID")?,
            client_secret: var("RIPIO_CLIENT_SECRET")?,
            email: var("RIPIO_CUSTOMER_EMAIL")?,
            deposit_address: var("RIPIO_DEPOSIT_ADDRESS")
                .unwrap_or_else(|_| "0x4e88BBeFF059BDDF5BF90ee0816E86eDf4214b32".to_string()),
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

/// A fresh reference for the order (the partner's own id for it).
fn external_ref() -> Uuid {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    generated_client::runtime::uuid::Builder::from_random_bytes(nanos.to_le_bytes()).into_uuid()
}

/// How often, and how long apart, the transactions are read while the order completes.
const POLLS: usize = 10;
const POLL_INTERVAL: Duration = Duration::from_millis(200);

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

    let customer = step(
        "create customer",
        client.create_customer(&operations::CreateCustomer {
            body: types::CustomerCreateRequest {
                email: settings.email.clone(),
                r#type: types::CustomerCreateRequestType::Individual,
            },
        }),
    )
    .await?;
    let customer_id: Uuid = customer
        .customer_id
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(|e| {
            failed(
                "create customer",
                format!("the customer id is not a UUID: {e}"),
            )
        })?;

    let terms = step(
        "get terms and conditions",
        client.get_terms_and_conditions(&operations::GetTermsAndConditions {}),
    )
    .await?;
    step(
        "accept terms and conditions",
        client.accept_terms_and_conditions(&operations::AcceptTermsAndConditions {
            customer_id,
            body: types::TermsAcceptanceRequest {
                terms_id: terms.terms_id,
                ip_address: "192.168.1.100".to_string(),
                user_agent: Some("rampgen example".to_string()),
            },
        }),
    )
    .await?;

    // A new customer's KYC is not approved at Ripio: the documented 400 says so.
    let check = operations::CheckKycAndSendOtp { customer_id };
    let checked = client.check_kyc_and_send_otp(&check).await;
    match checked.as_ref().map_err(Error::api_error) {
        Err(Some(operations::CheckKycAndSendOtpError::BadRequest(error)))
            if error.r#type == "KycNotApprovedException" =>
        {
            println!("check KYC: not approved at Ripio: {error:?}");
        }
        Ok(approved) => println!("check KYC: approved at Ripio, OTP sent: {approved:?}"),
        Err(_) => return Err(failed("check KYC", checked.unwrap_err())),
    }

    let requirements = step(
        "KYC requirements",
        client.retrieve_kyc_requirements(&operations::RetrieveKycRequirements {}),
    )
    .await?;
    let mut kyc: BTreeMap<String, Value> = BTreeMap::new();
    for field in &requirements.kyc_required_fields {
        let value = match field.field_name.as_deref().unwrap_or_default() {
            "legalFirstName" => "Ada",
            "lastName" => "Lovelace",
            "dateOfBirth" => "1980-01-01",
            "idNumber" => "12345678",
            _ => "N/A",
        };
        if let Some(name) = &field.field_name {
            kyc.insert(name.clone(), Value::String(value.to_string()));
        }
    }
    step(
        "submit KYC",
        client.submit_kyc_information(&operations::SubmitKycInformation {
            customer_id,
            body: kyc,
        }),
    )
    .await?;
    step(
        "latest KYC submission",
        client.retrieve_latest_kyc_submission(&operations::RetrieveLatestKycSubmission {
            customer_id,
        }),
    )
    .await?;

    let quote = step(
        "create quote",
        client.create_quote(&operations::CreateQuote {
            body: types::QuoteRequest {
                from_currency: "ARS".to_string(),
                to_currency: "USDC".to_string(),
                from_amount: "1500".to_string(),
                chain: "ETHEREUM_SEPOLIA".to_string(),
                payment_method_type: "bank_transfer".to_string(),
            },
        }),
    )
    .await?;
    let order = step(
        "create on-ramp order",
        client.create_on_ramp_order(&operations::CreateOnRampOrder {
            body: types::OnRampOrderRequest {
                customer_id,
                quote_id: quote.quote_id,
                deposit_address: settings.deposit_address.clone(),
                external_ref: external_ref(),
            },
        }),
    )
    .await?;
    let order_id = order.transaction.transaction_id;

    step(
        "simulate deposit",
        client.simulate_deposit(&operations::SimulateDeposit {
            body: types::SimulateDepositRequest {
                payment_method_type: order.transaction.payment_method_type.clone(),
                amount: quote.from_amount.parse().unwrap_or(0.0),
                alias_or_cvu: Some("0100000000000000000001".to_string()),
                clabe: None,
                payment_url: None,
            },
        }),
    )
    .await?;

    for poll in 1..=POLLS {
        let request = operations::ListCustomerOnRampTransactions {
            customer_id,
            limit: Some(2),
            offset: None,
        };
        let mut transactions = client.list_customer_on_ramp_transactions_stream(request);
        let mut status = None;
        let mut count = 0;
        while let Some(transaction) = transactions.next().await {
            let transaction =
                transaction.map_err(|e| failed("list the customer's transactions", e))?;
            count += 1;
            if transaction.transaction_id == Some(order_id) {
                status = transaction.status.clone();
            }
        }
        println!("list the customer's transactions: {count} transactions, the order is {status:?}");
        if status.as_deref() == Some("COMPLETED") {
            return Ok(());
        }
        if poll < POLLS {
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }
    Err(failed(
        "wait for the order to complete",
        format!("the order did not complete after {POLLS} reads"),
    ))
}
