//! Paginated list operations over HTTP (wiremock on loopback): every page walked in order,
//! next-page links followed only to the client's own origin, the page limit, and the three
//! styles the providers use (Ripio's next links and bare offset lists, Fonbnk's cursors).

mod e2e_support;

use e2e_support::{config, header_of, json_response, requests_to};
use futures_util::StreamExt;
use generated_client::runtime::{BearerToken, Error, ErrorKind, PaginationError};
use generated_client::{fonbnk, ripio};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer};

const TOKEN: &str = "test-token-0123456789";
const CUSTOMER: &str = "8142b065-79c4-4f48-9e33-11b17bc658d4";
const TRANSACTIONS: &str =
    "/api/v1/customers/8142b065-79c4-4f48-9e33-11b17bc658d4/transactions/onramp/";

fn ripio_client(server: &MockServer) -> ripio::Client {
    ripio::Client::new(config(server).auth(BearerToken::new(TOKEN))).expect("valid config")
}

fn transaction(n: usize) -> Value {
    json!({"transactionId": format!("00000000-0000-4000-8000-{n:012}"), "status": "COMPLETED"})
}

fn list_transactions() -> ripio::operations::ListCustomerOnRampTransactions {
    ripio::operations::ListCustomerOnRampTransactions {
        customer_id: CUSTOMER.parse().unwrap(),
        limit: Some(2),
        offset: None,
    }
}

/// Mounts the customer's transactions as pages of two, each linking to the next with `next`
/// (`link` writes the link to the page at an offset); `pages` pages in all, each expected once.
async fn mount_transaction_pages(
    server: &MockServer,
    link: impl Fn(usize) -> String,
    pages: usize,
) {
    for page in 0..pages {
        let next = (page + 1 < pages).then(|| link((page + 1) * 2));
        let body = json!({
            "count": pages * 2,
            "next": next,
            "previous": null,
            "transactions": [transaction(page * 2), transaction(page * 2 + 1)],
        });
        let matcher = Mock::given(method("GET"))
            .and(path(TRANSACTIONS))
            .and(query_param("limit", "2"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()));
        let matcher = if page == 0 {
            matcher.and(query_param_is_missing("offset"))
        } else {
            matcher.and(query_param("offset", (page * 2).to_string().as_str()))
        };
        matcher
            .respond_with(json_response(200, &body))
            .expect(1)
            .mount(server)
            .await;
    }
}

/// The number of items of each page, walking them to the end.
async fn page_sizes<O>(pages: &mut generated_client::runtime::Pages<'_, O>) -> Vec<usize>
where
    O: generated_client::runtime::Paginated,
    O::Error: std::fmt::Debug,
{
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        sizes.push(page.expect("the page decodes").len());
    }
    sizes
}

/// Links to the next page written as absolute URLs on `server`.
fn absolute_links(server: &MockServer) -> impl Fn(usize) -> String {
    let origin = server.uri();
    move |offset| format!("{origin}{TRANSACTIONS}?limit=2&offset={offset}")
}

#[tokio::test]
async fn a_next_link_stream_yields_every_item_of_every_page_in_order() {
    let server = MockServer::start().await;
    mount_transaction_pages(&server, absolute_links(&server), 3).await;
    let client = ripio_client(&server);
    let items: Vec<_> = client
        .list_customer_on_ramp_transactions_stream(list_transactions())
        .collect()
        .await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|item| {
            item.expect("every page decodes")
                .transaction_id
                .unwrap()
                .to_string()
        })
        .collect();
    let expected: Vec<String> = (0..6)
        .map(|n| format!("00000000-0000-4000-8000-{n:012}"))
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(requests_to(&server, TRANSACTIONS).await.len(), 3);
}

#[tokio::test]
async fn pages_are_walked_one_request_each_and_stop_on_the_last() {
    let server = MockServer::start().await;
    mount_transaction_pages(&server, absolute_links(&server), 3).await;
    let client = ripio_client(&server);
    let mut pages = client.list_customer_on_ramp_transactions_pages(list_transactions());
    assert_eq!(page_sizes(&mut pages).await, [2, 2, 2]);
    assert_eq!(pages.pages_fetched(), 3);
    assert!(pages.next_page().await.is_none(), "the walk stays over");
}

#[tokio::test]
async fn relative_next_links_are_resolved_against_the_page_they_came_in() {
    // `?limit=2&offset=2` on the transactions page is the transactions path again; resolved
    // against the base URL it would be the server's root.
    let server = MockServer::start().await;
    mount_transaction_pages(&server, |offset| format!("?limit=2&offset={offset}"), 3).await;
    let client = ripio_client(&server);
    let mut pages = client.list_customer_on_ramp_transactions_pages(list_transactions());
    assert_eq!(page_sizes(&mut pages).await, [2, 2, 2]);
    assert_eq!(requests_to(&server, TRANSACTIONS).await.len(), 3);
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_refused_and_not_requested() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await; // another port: another origin
    let first = json!({
        "next": format!("{}{TRANSACTIONS}?limit=2&offset=2", elsewhere.uri()),
        "transactions": [transaction(0), transaction(1)],
    });
    Mock::given(method("GET"))
        .and(path(TRANSACTIONS))
        .respond_with(json_response(200, &first))
        .expect(1)
        .mount(&server)
        .await;
    let client = ripio_client(&server);
    let mut pages = client.list_customer_on_ramp_transactions_pages(list_transactions());
    assert_eq!(pages.next_page().await.unwrap().unwrap().len(), 2);
    let refused = pages.next_page().await.expect("the second page is refused");
    match refused.as_ref().map_err(Error::kind) {
        Err(ErrorKind::Pagination(PaginationError::ForeignLink { origin })) => {
            assert_eq!(*origin, elsewhere.uri());
        }
        other => panic!("expected a refused link, got {other:?}"),
    }
    assert!(pages.next_page().await.is_none());
    let stolen = elsewhere.received_requests().await.unwrap();
    assert!(
        stolen.is_empty(),
        "the token went to another origin: {stolen:?}"
    );
}

#[tokio::test]
async fn the_page_limit_bounds_the_walk_with_an_error() {
    let server = MockServer::start().await;
    for page in 0..3 {
        let body = json!({
            "next": format!("{}{TRANSACTIONS}?limit=2&offset={}", server.uri(), (page + 1) * 2),
            "transactions": [transaction(page)],
        });
        let offset = (page > 0).then(|| (page * 2).to_string());
        let mock = Mock::given(method("GET")).and(path(TRANSACTIONS));
        let mock = match offset {
            Some(offset) => mock.and(query_param("offset", offset.as_str())),
            None => mock.and(query_param_is_missing("offset")),
        };
        mock.respond_with(json_response(200, &body))
            .mount(&server)
            .await;
    }
    let client = ripio_client(&server);
    let items: Vec<_> = client
        .list_customer_on_ramp_transactions_pages(list_transactions())
        .with_page_limit(2)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 3, "two pages of one item, then the error");
    assert!(items[0].is_ok() && items[1].is_ok());
    assert!(
        matches!(
            items[2].as_ref().map_err(Error::kind),
            Err(ErrorKind::Pagination(PaginationError::PageLimit {
                limit: 2
            }))
        ),
        "{:?}",
        items[2]
    );
    assert_eq!(requests_to(&server, TRANSACTIONS).await.len(), 2);
}

#[tokio::test]
async fn an_error_page_ends_the_stream_after_yielding_the_error() {
    let server = MockServer::start().await;
    let body = json!({
        "next": format!("{}{TRANSACTIONS}?limit=2&offset=2", server.uri()),
        "transactions": [transaction(0)],
    });
    Mock::given(method("GET"))
        .and(path(TRANSACTIONS))
        .and(query_param_is_missing("offset"))
        .respond_with(json_response(200, &body))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(TRANSACTIONS))
        .and(query_param("offset", "2"))
        .respond_with(json_response(
            404,
            &json!({"code": 40004, "type": "NotFound", "detail": {"message": "Not found."}, "status": 404}),
        ))
        .mount(&server)
        .await;
    let client = ripio_client(&server);
    let items: Vec<_> = client
        .list_customer_on_ramp_transactions_stream(list_transactions())
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert!(matches!(
        &items[1],
        Err(error) if error.api_error().is_some() && error.status().map(|s| s.as_u16()) == Some(404)
    ));
}

fn off_ramp_order(n: usize) -> Value {
    json!({
        "transactionId": format!("00000000-0000-4000-8000-{n:012}"),
        "createdAt": "2024-06-01T12:00:00Z",
        "customerId": CUSTOMER,
        "quoteId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "fromCurrency": "USDC",
        "toCurrency": "ARS",
        "amount": "10",
        "chain": "ETHEREUM",
        "status": "COMPLETED",
    })
}

#[tokio::test]
async fn a_bare_list_declared_offset_advances_by_the_items_received_until_a_short_page() {
    let server = MockServer::start().await;
    for (offset, count) in [(None, 2), (Some("2"), 2), (Some("4"), 1)] {
        let start = offset.map_or(0, |o: &str| o.parse().unwrap());
        let body: Vec<Value> = (start..start + count).map(off_ramp_order).collect();
        let mock = Mock::given(method("GET"))
            .and(path("/api/v1/offramp/"))
            .and(query_param("limit", "2"));
        let mock = match offset {
            Some(offset) => mock.and(query_param("offset", offset)),
            None => mock.and(query_param_is_missing("offset")),
        };
        mock.respond_with(json_response(200, &Value::Array(body)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = ripio_client(&server);
    let request = ripio::operations::ListOffRampOrders {
        limit: Some(2),
        ..Default::default()
    };
    let orders: Vec<_> = client.list_off_ramp_orders_stream(request).collect().await;
    let ids: Vec<String> = orders
        .into_iter()
        .map(|o| o.expect("decodes").transaction_id.to_string())
        .collect();
    assert_eq!(ids.len(), 5);
    assert!(ids[4].ends_with("000000000004"), "{ids:?}");
}

#[tokio::test]
async fn a_cursor_is_sent_back_until_the_server_gives_none() {
    let server = MockServer::start().await;
    let pages = [
        (None, Some("c1")),
        (Some("c1"), Some("c2")),
        (Some("c2"), None),
    ];
    for (index, (cursor, next)) in pages.into_iter().enumerate() {
        let body = json!({
            "nextCursor": next,
            "list": [{"_id": format!("order-{index}"), "status": "offramp_success"}],
        });
        let mock = Mock::given(method("GET"))
            .and(path("/api/offramp/orders"))
            .and(query_param("limit", "1"))
            .and(header("x-client-id", "client-1"));
        let mock = match cursor {
            Some(cursor) => mock.and(query_param("cursor", cursor)),
            None => mock.and(query_param_is_missing("cursor")),
        };
        mock.respond_with(json_response(200, &body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let signer =
        fonbnk::signer("client-1", "c2VjcmV0LXNlY3JldC1zZWNyZXQ=").expect("a valid secret");
    let client = fonbnk::Client::new(config(&server).auth(signer)).expect("valid config");
    let request = fonbnk::operations::GetOfframpOrders {
        cursor: None,
        limit: 1,
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
    let orders: Vec<_> = client.get_offramp_orders_stream(request).collect().await;
    let ids: Vec<String> = orders
        .into_iter()
        .map(|o| o.expect("decodes").id.expect("an id"))
        .collect();
    assert_eq!(ids, ["order-0", "order-1", "order-2"]);
    for request in requests_to(&server, "/api/offramp/orders").await {
        assert!(!header_of(&request, "x-signature").is_empty());
    }
}
