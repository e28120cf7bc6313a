//! A webhook receiver for both providers: verifies each delivery's signature over the raw body,
//! parses it into a typed event, prints it and answers `204 No Content` at once.
//!
//! ```sh
//! WEBHOOK_PORT=3000 RIPIO_WEBHOOK_SECRET=… FONBNK_WEBHOOK_SECRET=… \
//!   cargo run -p generated-client --example webhook_receiver
//! ```
//!
//! Ripio posts to `/webhooks/ripio`, Fonbnk to `/webhooks/fonbnk` (configure these URLs with
//! each provider; in production, behind a TLS-terminating proxy). A provider whose secret is not
//! set is answered `503`. A delivery that fails verification is answered `401`, one that does
//! not parse `400`; the reason is printed to stderr, never the secret.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use generated_client::runtime::http::{Method, Request, Response, StatusCode};
use generated_client::runtime::WebhookError;
use generated_client::{fonbnk, ripio};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// Deliveries are small JSON documents; anything larger is refused before it is read.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The shared secrets, as bytes; `None` for a provider not configured.
#[derive(Clone, Default)]
struct Secrets {
    ripio: Option<Vec<u8>>,
    fonbnk: Option<Vec<u8>>,
}

impl Secrets {
    fn from_env() -> Self {
        let read = |name| std::env::var(name).ok().map(String::into_bytes);
        Secrets {
            ripio: read("RIPIO_WEBHOOK_SECRET"),
            fonbnk: read("FONBNK_WEBHOOK_SECRET"),
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = match std::env::var("WEBHOOK_PORT") {
        Ok(port) => port
            .parse()
            .map_err(|e| format!("WEBHOOK_PORT is not a port number: {e}"))?,
        Err(_) => 3000,
    };
    let secrets = Secrets::from_env();
    if secrets.ripio.is_none() && secrets.fonbnk.is_none() {
        return Err("set RIPIO_WEBHOOK_SECRET and/or FONBNK_WEBHOOK_SECRET".into());
    }
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    println!("listening on http://{}", listener.local_addr()?);
    serve(listener, secrets).await?;
    Ok(())
}

/// Accepts connections until the listener fails, each on its own task.
async fn serve(listener: TcpListener, secrets: Secrets) -> std::io::Result<()> {
    let secrets = Arc::new(secrets);
    loop {
        let (stream, _) = listener.accept().await?;
        let secrets = Arc::clone(&secrets);
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(request, Arc::clone(&secrets)));
            if let Err(error) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                eprintln!("connection error: {error}");
            }
        });
    }
}

async fn handle(
    request: Request<Incoming>,
    secrets: Arc<Secrets>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    if parts.method != Method::POST {
        return Ok(answer(StatusCode::METHOD_NOT_ALLOWED));
    }
    // The raw bytes, exactly as sent: the signature covers them.
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => return Ok(answer(StatusCode::PAYLOAD_TOO_LARGE)),
    };
    // `None`: the provider's secret is not configured.
    let outcome = match parts.uri.path() {
        "/webhooks/ripio" => secrets.ripio.as_ref().map(|secret| {
            ripio::webhooks::verify(secret, &parts.headers, &body).map(|e| describe_ripio(&e))
        }),
        "/webhooks/fonbnk" => secrets.fonbnk.as_ref().map(|secret| {
            fonbnk::webhooks::verify(secret, &parts.headers, &body).map(|e| describe_fonbnk(&e))
        }),
        _ => return Ok(answer(StatusCode::NOT_FOUND)),
    };
    let status = match outcome {
        None => StatusCode::SERVICE_UNAVAILABLE,
        Some(Ok(line)) => {
            // A real receiver hands the event to a queue here and answers at once: providers
            // time out and retry slow endpoints.
            println!("{line}");
            StatusCode::NO_CONTENT
        }
        Some(Err(error)) => {
            eprintln!("refused a delivery to {}: {error}", parts.uri.path());
            refusal(&error)
        }
    };
    Ok(answer(status))
}

/// `401` for a delivery that is not the provider's, `400` for one that is but does not parse.
fn refusal(error: &WebhookError) -> StatusCode {
    match error {
        WebhookError::MissingSignature { .. }
        | WebhookError::MalformedSignature { .. }
        | WebhookError::Mismatch => StatusCode::UNAUTHORIZED,
        _ => StatusCode::BAD_REQUEST,
    }
}

fn answer(status: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}

fn describe_ripio(event: &ripio::webhooks::Event) -> String {
    use ripio::webhooks::Event;
    let detail = match event {
        Event::OnRampDepositReceived(e)
        | Event::OnRampTradeCompleted(e)
        | Event::OnRampWithdrawalProcessing(e) => format!(
            "transaction {} status {}",
            shown(&e.transaction_object.transaction_id),
            shown(&e.transaction_object.status)
        ),
        Event::OffRampDepositReceived(e)
        | Event::OffRampTradeCompleted(e)
        | Event::OffRampWithdrawalProcessing(e)
        | Event::OffRampWithdrawalCompleted(e) => format!(
            "transaction {} status {}",
            shown(&e.transaction_object.transaction_id),
            shown(&e.transaction_object.status)
        ),
        Event::SellAndPayDepositReceived(e) | Event::SellAndPayDepositBlocked(e) => {
            format!("issued {}", e.issue_datetime)
        }
        Event::KycCompleted(e) => format!("customer {}", e.payload.customer_id),
        Event::AccountClosed(e) => format!("customer {}", e.account.customer_id),
        Event::Unknown { .. } => "(an event type this client does not know)".to_string(),
    };
    format!("ripio {}: {detail}", event.event_type())
}

fn describe_fonbnk(event: &fonbnk::webhooks::Event) -> String {
    use fonbnk::webhooks::Event;
    let detail = match event {
        Event::OnRampOrderStatus(e) => {
            format!(
                "order {} status {}",
                e.data.order_id,
                e.data.status.as_str()
            )
        }
        Event::OffRampOrderStatus(e) => {
            format!(
                "order {} status {}",
                e.data.order_id,
                e.data.status.as_str()
            )
        }
        // Fonbnk sends no event type: an unrecognised delivery has none to show.
        Event::Unknown { .. } => return "fonbnk: a delivery this client does not recognise".into(),
    };
    format!("fonbnk {}: {detail}", event.event_type())
}

fn shown<T: std::fmt::Display>(value: &Option<T>) -> String {
    value
        .as_ref()
        .map_or_else(|| "-".to_string(), ToString::to_string)
}

#[cfg(test)]
mod tests {
    //! The receiver over loopback: a signed delivery is accepted, a tampered one refused.

    use super::*;

    const RIPIO_SECRET: &[u8] = b"receiver-test-ripio";
    const FONBNK_SECRET: &[u8] = b"receiver-test-fonbnk";

    async fn start() -> SocketAddr {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let address = listener.local_addr().unwrap();
        let secrets = Secrets {
            ripio: Some(RIPIO_SECRET.to_vec()),
            fonbnk: Some(FONBNK_SECRET.to_vec()),
        };
        tokio::spawn(async move { serve(listener, secrets).await });
        address
    }

    async fn post(
        address: SocketAddr,
        path: &str,
        delivery: &generated_client::runtime::SignedDelivery,
    ) -> u16 {
        reqwest::Client::new()
            .post(format!("http://{address}{path}"))
            .headers(delivery.headers.clone())
            .body(delivery.body.clone())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    #[tokio::test]
    async fn signed_deliveries_are_acknowledged_and_tampered_ones_refused() {
        let address = start().await;
        let body = br#"{"eventType":"ACCOUNT.CLOSED","issueDatetime":"2026-05-19T14:30:00.000Z","account":{"customerId":"7142b065-79c4-4f48-9e33-11b23b0689e2","isActive":false}}"#;
        let mut delivery = ripio::webhooks::sign(RIPIO_SECRET, body).unwrap();
        assert_eq!(post(address, "/webhooks/ripio", &delivery).await, 204);
        // An event type the client does not know is acknowledged too.
        let unknown = br#"{"eventType":"KYC.REJECTED","issueDatetime":"x","payload":{}}"#;
        let unknown = ripio::webhooks::sign(RIPIO_SECRET, unknown).unwrap();
        assert_eq!(post(address, "/webhooks/ripio", &unknown).await, 204);

        // `isActive` flipped after signing.
        delivery.body = String::from_utf8(delivery.body)
            .unwrap()
            .replace("false", "true")
            .into_bytes();
        assert_eq!(post(address, "/webhooks/ripio", &delivery).await, 401);

        let data = br#"{"orderId":"o-1","offrampType":"bank","status":"refunded","date":"2025-10-03","cashout":{"localCurrencyAmount":1,"usdAmount":1,"feeAmountUsd":0,"feeAmountUsdFonbnk":0,"feeAmountUsdPartner":0,"feeAmountLocalCurrency":0,"feeAmountLocalCurrencyFonbnk":0,"feeAmountLocalCurrencyPartner":0},"exchangeRate":1460.2,"network":"CELO","asset":"USDC","fromAddress":"a","toAddress":"b","userEmail":"u@example.com","requiredFields":[],"countryIsoCode":"NG","currencyIsoCode":"NGN"}"#;
        let delivery = fonbnk::webhooks::sign(FONBNK_SECRET, data).unwrap();
        assert_eq!(post(address, "/webhooks/fonbnk", &delivery).await, 204);
        let forged = fonbnk::webhooks::sign(b"not-the-secret", data).unwrap();
        assert_eq!(post(address, "/webhooks/fonbnk", &forged).await, 401);
        assert_eq!(post(address, "/elsewhere", &forged).await, 404);
    }
}
