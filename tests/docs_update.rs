//! When the providers' docs change: `cargo xtask import` takes the OpenAPI document out of each
//! documentation page and merges it into the spec; `cargo xtask gen` reports what changed for
//! users of the generated client. The seed pages in `tests/docs_pages/` are the pages the specs
//! were first written from, and `specs/sources/<provider>/` keeps every page imported since; the
//! other pages in `tests/docs_pages/` are saved pages of both providers' layouts (Ripio's
//! Mintlify pages with prose and components before the block, Fonbnk's GitBook pages with a
//! second, non-JSON fence after it).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use xtask::changes::ApiChanges;
use xtask::import::{extract, import, ImportError, Side};
use xtask::{workspace_root, SpecFiles};

const RIPIO_PAGE: &str = "ripio-check-kyc.md";
const FONBNK_PAGE: &str = "fonbnk-kyc.md";

/// A fresh, empty workspace root for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("docs_update")
        .join(test);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn seed(name: &str) -> PathBuf {
    workspace_root().join("tests/docs_pages").join(name)
}

/// Writes a synthetic page (Ripio's layout: a four-backtick fence with extra words) and returns
/// its path.
fn page(root: &Path, name: &str, yaml: &str) -> PathBuf {
    let path = root.join("pages").join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = format!(
        "# A page\n\nSome prose.\n\n## OpenAPI\n\n````yaml ramps-api/openapi.json GET /x\n{yaml}````\n"
    );
    fs::write(&path, text).unwrap();
    path
}

fn spec_value(root: &Path, spec: &str) -> Value {
    let text = fs::read_to_string(root.join(spec)).expect("spec written");
    codegen::load::load(&text, codegen::load::Format::detect(spec, &text))
        .expect("merged spec loads")
        .value
}

const HEADER: &str = "openapi: 3.1.0\ninfo:\n  title: Ripio Ramp API\n  version: v1\n";

const CUSTOMER_ID: &str = "    CustomerId:
      name: customerId
      in: path
      required: true
      description: Unique identifier for the customer.
      schema:
        type: string
        format: uuid
      example: 8142b065-79c4-4f48-9e33-11b17bc658d4
";

const ERROR_RESPONSE: &str = "    ErrorResponse:
      type: object
      properties:
        code:
          type: integer
          description: Application-specific error code.
        type:
          type: string
          description: Type of error or exception.
        detail:
          type: object
          properties:
            message:
              type: string
              description: Detailed error message.
          additionalProperties: true
        status:
          type: integer
          description: HTTP status code.
      required:
        - code
        - type
        - detail
        - status
";

/// A second Ripio operation that shares `CustomerId` and `ErrorResponse` with the seed page.
fn get_customer_page(error_response: &str) -> String {
    format!(
        "{HEADER}paths:
  /api/v1/customers/{{customerId}}/:
    get:
      summary: Get customer
      operationId: getCustomer
      parameters:
        - $ref: '#/components/parameters/CustomerId'
      responses:
        '200':
          description: The customer.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Customer'
        '404':
          description: Not found.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
components:
  parameters:
{CUSTOMER_ID}  schemas:
    Customer:
      type: object
      properties:
        customerId:
          type: string
        email:
          type: string
      required:
        - customerId
{error_response}"
    )
}

/// The pages kept in `specs/sources/<provider>/`, except `skip`, in file-name order.
fn kept(provider: &str, skip: &str) -> Vec<PathBuf> {
    let dir = workspace_root().join("specs/sources").join(provider);
    let mut pages: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("kept pages")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.file_name().is_some_and(|name| name != skip))
        .collect();
    pages.sort();
    pages
}

#[test]
fn the_kept_pages_reproduce_todays_specs() {
    for (provider, page, spec) in [
        ("ripio", RIPIO_PAGE, "specs/ripio.yaml"),
        ("fonbnk", FONBNK_PAGE, "specs/fonbnk.json"),
    ] {
        let root = scratch(&format!("reproduce_{provider}"));
        // The seed page into an empty spec: its block, byte for byte.
        import(&root, provider, &[seed(page)], false).expect("the seed page imports");
        let seed_value = spec_value(&root, spec);
        let kept_seed = workspace_root()
            .join("specs/sources")
            .join(provider)
            .join(page);
        assert_eq!(fs::read(kept_seed).unwrap(), fs::read(seed(page)).unwrap());

        // Then every other kept page, as one import.
        let others = kept(provider, page);
        assert!(others.len() >= 9, "{provider}: {} pages kept", others.len());
        import(&root, provider, &others, false).expect("the kept pages import");
        let imported = fs::read(root.join(spec)).unwrap();
        let today = fs::read(workspace_root().join(spec)).unwrap();
        assert!(
            imported == today,
            "{spec} differs from the one imported from the pages in specs/sources/{provider}/"
        );

        // The seed's operations and components stay exactly as published.
        let merged = spec_value(&root, spec);
        for (path, item) in seed_value["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let mut kept = merged["paths"][path][method].clone();
                kept.as_object_mut()
                    .unwrap()
                    .shift_remove("x-rampgen-source");
                assert_eq!(&kept, operation, "{spec}: {method} {path} changed");
            }
        }
        for (section, entries) in seed_value["components"].as_object().unwrap() {
            for (name, definition) in entries.as_object().unwrap() {
                assert_eq!(
                    &merged["components"][section][name], definition,
                    "{spec}: #/components/{section}/{name} changed"
                );
            }
        }
    }
}

#[test]
fn every_saved_page_yields_its_one_document() {
    let dir = workspace_root().join("tests/docs_pages");
    let mut pages: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/docs_pages")
        .map(|entry| entry.expect("a page").path())
        .collect();
    pages.sort();
    assert!(pages.len() >= 4, "{pages:?}");
    for page in pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&page).unwrap();
        let extracted = extract(&name, &text).unwrap_or_else(|e| panic!("{e}"));
        let openapi = extracted.value["openapi"].as_str().unwrap_or_default();
        assert!(openapi.starts_with("3."), "{name}: openapi {openapi:?}");
        let paths = extracted.value["paths"].as_object().map_or(0, |p| p.len());
        assert_eq!(paths, 1, "{name}: one operation's page, one path");
        // The fence line is where the block opens in the page.
        let fence = text
            .lines()
            .nth(extracted.fence_line - 1)
            .unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "{name}:{}: {fence}",
            extracted.fence_line
        );
    }
}

#[test]
fn a_second_page_sharing_components_merges_cleanly() {
    let root = scratch("second_page");
    import(&root, "ripio", &[seed(RIPIO_PAGE)], false).unwrap();
    let second = page(&root, "get-customer.md", &get_customer_page(ERROR_RESPONSE));
    let imported = import(&root, "ripio", &[second], false).expect("merges without conflict");
    assert!(
        imported
            .lines
            .contains(&"get-customer.md: added GET /api/v1/customers/{customerId}/".to_string()),
        "{:?}",
        imported.lines
    );

    let spec = spec_value(&root, "specs/ripio.yaml");
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["KycCheckSuccessResponse", "ErrorResponse", "Customer"]
    );
    let today = spec_value(&workspace_root(), "specs/ripio.yaml");
    assert_eq!(
        schemas["ErrorResponse"],
        today["components"]["schemas"]["ErrorResponse"]
    );
    assert_eq!(
        spec["components"]["parameters"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["CustomerId"]
    );
    let source = |path: &str, method: &str| spec["paths"][path][method]["x-rampgen-source"].clone();
    assert_eq!(
        source("/api/v1/customers/{customerId}/checkKyc/", "post"),
        "sources/ripio/ripio-check-kyc.md"
    );
    assert_eq!(
        source("/api/v1/customers/{customerId}/", "get"),
        "sources/ripio/get-customer.md"
    );
    assert!(root.join("specs/sources/ripio/get-customer.md").is_file());

    // The merged spec generates a client with both operations.
    let files = SpecFiles::read(&root, "specs/ripio.yaml").unwrap();
    let (api, _) = codegen::lower_spec(files.spec(), None).expect("merged spec lowers");
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["checkKycAndSendOtp", "getCustomer"]);
}

#[test]
fn a_conflicting_component_is_reported_with_both_sources_and_prefer_new_wins() {
    let root = scratch("conflict");
    import(&root, "ripio", &[seed(RIPIO_PAGE)], false).unwrap();
    let before = fs::read_to_string(root.join("specs/ripio.yaml")).unwrap();
    let other_shape = ERROR_RESPONSE.replace(
        "        - status\n",
        "        - status\n      description: A different ErrorResponse.\n",
    );
    let conflicting = page(&root, "conflict.md", &get_customer_page(&other_shape));

    let error = import(&root, "ripio", std::slice::from_ref(&conflicting), false).unwrap_err();
    let ImportError::Conflicts(conflicts) = &error else {
        panic!("expected a conflict: {error}")
    };
    assert_eq!(conflicts.len(), 1, "{error}");
    assert_eq!(conflicts[0].pointer, "#/components/schemas/ErrorResponse");
    assert_eq!(
        conflicts[0].sides,
        [
            Side {
                new: vec![],
                kept: vec!["sources/ripio/ripio-check-kyc.md".into()]
            },
            Side {
                new: vec!["sources/ripio/conflict.md".into()],
                kept: vec![]
            },
        ]
    );
    let message = error.to_string();
    assert!(
        message.contains(
            "#/components/schemas/ErrorResponse is defined 2 ways:\n    by sources/ripio/ripio-check-kyc.md (kept)\n    by sources/ripio/conflict.md (imported now)"
        ),
        "{message}"
    );
    assert!(message.contains("--prefer-new"), "{message}");
    // Nothing was written.
    assert_eq!(
        fs::read_to_string(root.join("specs/ripio.yaml")).unwrap(),
        before
    );
    assert!(!root.join("specs/sources/ripio/conflict.md").exists());

    let imported = import(&root, "ripio", &[conflicting], true).expect("--prefer-new imports");
    assert!(
        imported
            .lines
            .iter()
            .any(|l| l.contains("replaced #/components/schemas/ErrorResponse (kept: sources/ripio/ripio-check-kyc.md; --prefer-new)")),
        "{:?}",
        imported.lines
    );
    let spec = spec_value(&root, "specs/ripio.yaml");
    assert_eq!(
        spec["components"]["schemas"]["ErrorResponse"]["description"],
        "A different ErrorResponse."
    );
}

/// A Ripio page on `/api/v1/customers/{customerId}/` (`method`) with its own copy of the shared
/// components: `Customer` (with `customer_extra` among its properties), `CustomerId`
/// (`customer_id`) and `ErrorResponse` (`error_response`).
fn customer_page(
    method: &str,
    operation_id: &str,
    customer_extra: &str,
    customer_id: &str,
    error_response: &str,
) -> String {
    format!(
        "{HEADER}paths:
  /api/v1/customers/{{customerId}}/:
    {method}:
      operationId: {operation_id}
      parameters:
        - $ref: '#/components/parameters/CustomerId'
      responses:
        '200':
          description: The customer.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Customer'
        '404':
          description: Not found.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
components:
  parameters:
{customer_id}  schemas:
    Customer:
      type: object
      properties:
        customerId:
          type: string
{customer_extra}{error_response}"
    )
}

/// A Ripio page that shares only `CustomerId` and `ErrorResponse` with the customer pages.
fn deactivate_page(error_response: &str) -> String {
    format!(
        "{HEADER}paths:
  /api/v1/customers/{{customerId}}/deactivate/:
    post:
      operationId: deactivateCustomer
      parameters:
        - $ref: '#/components/parameters/CustomerId'
      responses:
        '200':
          description: Deactivated.
        '404':
          description: Not found.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
components:
  parameters:
{CUSTOMER_ID}  schemas:
{error_response}"
    )
}

const EMAIL: &str = "        email:\n          type: string\n";
const EMAIL_AND_PHONE: &str =
    "        email:\n          type: string\n        phone:\n          type: string\n";

/// The docs update of the issue: three kept Ripio pages saved again, two of them (get and update
/// customer) changing the component only they define (`Customer`) the same way, the third
/// (deactivate) disagreeing with every other page about `ErrorResponse`.
#[test]
fn a_docs_update_of_three_pages_is_one_change() {
    let root = scratch("three_pages");
    import(&root, "ripio", &[seed(RIPIO_PAGE)], false).unwrap();
    let first = [
        ("get.md", "get", "getCustomer"),
        ("update.md", "patch", "updateCustomer"),
    ]
    .map(|(name, method, id)| {
        page(
            &root,
            name,
            &customer_page(method, id, EMAIL, CUSTOMER_ID, ERROR_RESPONSE),
        )
    });
    let deactivate = page(&root, "deactivate.md", &deactivate_page(ERROR_RESPONSE));
    let first = [first[0].clone(), first[1].clone(), deactivate];
    import(&root, "ripio", &first, false).expect("the first version imports");
    let before = fs::read_to_string(root.join("specs/ripio.yaml")).unwrap();

    // The update, saved beside the first version.
    let other_error = ERROR_RESPONSE.replace(
        "          description: HTTP status code.\n",
        "          description: HTTP status code.\n        traceId:\n          type: string\n",
    );
    let updated = |name: &str, method: &str, id: &str, error: &str| {
        let dir = root.join("update");
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        let scratch_page = page(
            &root,
            name,
            &customer_page(method, id, EMAIL_AND_PHONE, CUSTOMER_ID, error),
        );
        fs::rename(scratch_page, &path).unwrap();
        path
    };
    let get = updated("get.md", "get", "getCustomer", ERROR_RESPONSE);
    let update = updated("update.md", "patch", "updateCustomer", ERROR_RESPONSE);
    let deactivate = updated(
        "deactivate.md",
        "delete",
        "deactivateCustomer",
        &other_error,
    );

    // The real disagreement is named, with the pages on each side; `Customer`, which the update
    // changes consistently, is not.
    let pages = [get.clone(), update.clone(), deactivate.clone()];
    for prefer_new in [false, true] {
        let error = import(&root, "ripio", &pages, prefer_new).unwrap_err();
        let ImportError::Conflicts(conflicts) = &error else {
            panic!("expected a conflict: {error}")
        };
        assert_eq!(conflicts.len(), 1, "{error}");
        assert_eq!(conflicts[0].pointer, "#/components/schemas/ErrorResponse");
        assert_eq!(
            conflicts[0].sides,
            [
                Side {
                    new: vec![
                        "sources/ripio/get.md".into(),
                        "sources/ripio/update.md".into()
                    ],
                    kept: vec!["sources/ripio/ripio-check-kyc.md".into()],
                },
                Side {
                    new: vec!["sources/ripio/deactivate.md".into()],
                    kept: vec![],
                },
            ]
        );
        // --prefer-new does not choose between the pages imported now.
        assert!(conflicts[0].among_new());
        let message = error.to_string();
        assert!(
            message.contains("--prefer-new does not choose between them"),
            "{message}"
        );
        assert_eq!(
            fs::read_to_string(root.join("specs/ripio.yaml")).unwrap(),
            before,
            "nothing is written"
        );
    }

    // Without the disagreeing page, the update is one consistent change.
    let imported = import(&root, "ripio", &[get, update], false).expect("the update imports");
    assert!(
        imported
            .lines
            .contains(&"get.md: updated #/components/schemas/Customer".to_string()),
        "{:?}",
        imported.lines
    );
    let spec = spec_value(&root, "specs/ripio.yaml");
    assert!(spec["components"]["schemas"]["Customer"]["properties"]["phone"].is_object());
}

/// Every conflicting component is reported at once, not only the first met.
#[test]
fn every_conflict_is_reported_at_once() {
    let root = scratch("every_conflict");
    import(&root, "ripio", &[seed(RIPIO_PAGE)], false).unwrap();
    let other_error = ERROR_RESPONSE.replace("        - status\n", "");
    let other_id = CUSTOMER_ID.replace("format: uuid", "format: ulid");
    let conflicting = page(
        &root,
        "get.md",
        &customer_page("get", "getCustomer", EMAIL, &other_id, &other_error),
    );
    let error = import(&root, "ripio", &[conflicting], false).unwrap_err();
    let ImportError::Conflicts(conflicts) = &error else {
        panic!("expected conflicts: {error}")
    };
    let pointers: Vec<&str> = conflicts.iter().map(|c| c.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "#/components/parameters/CustomerId",
            "#/components/schemas/ErrorResponse"
        ]
    );
    assert!(
        error
            .to_string()
            .starts_with("2 components are defined differently"),
        "{error}"
    );
    assert!(!conflicts.iter().any(|c| c.among_new()));
}

/// A provider's docs before and after an update: fields added, a field removed, an enum value
/// added, an operation removed.
const BEFORE: &str = "openapi: 3.1.0
info:
  title: Example Ramp API
  version: v1
paths:
  /quotes/:
    post:
      operationId: createQuote
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/QuoteRequest'
      responses:
        '200':
          description: The quote.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Quote'
  /quotes/{quoteId}/:
    delete:
      operationId: cancelQuote
      parameters:
        - name: quoteId
          in: path
          required: true
          schema:
            type: string
      responses:
        '204':
          description: Cancelled.
components:
  schemas:
    QuoteRequest:
      type: object
      required: [amount, currency]
      properties:
        amount:
          type: string
        currency:
          type: string
    Quote:
      type: object
      required: [id, status]
      properties:
        id:
          type: string
        rate:
          type: number
        legacyFee:
          type: string
        status:
          $ref: '#/components/schemas/QuoteStatus'
    QuoteStatus:
      type: string
      enum: [PENDING, ACCEPTED]
";

const AFTER: &str = "openapi: 3.1.0
info:
  title: Example Ramp API
  version: v1
paths:
  /quotes/:
    post:
      operationId: createQuote
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/QuoteRequest'
      responses:
        '200':
          description: The quote.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Quote'
components:
  schemas:
    QuoteRequest:
      type: object
      required: [amount, currency, network]
      properties:
        amount:
          type: string
        currency:
          type: string
        network:
          type: string
    Quote:
      type: object
      required: [id, status]
      properties:
        id:
          type: string
        rate:
          type: number
        expiresAt:
          type: string
        status:
          $ref: '#/components/schemas/QuoteStatus'
    QuoteStatus:
      type: string
      enum: [PENDING, ACCEPTED, EXPIRED]
";

#[test]
fn a_docs_update_produces_the_expected_change_report() {
    let files = |text: &str| SpecFiles {
        spec_name: "specs/example.yaml".to_string(),
        spec_text: text.to_string(),
        overlay: None,
    };
    let changes = ApiChanges::compare(&files(BEFORE), &files(AFTER)).expect("both generate");
    let breaking: Vec<(&str, bool)> = changes
        .changes
        .iter()
        .map(|c| (c.kind.name(), c.breaking))
        .collect();
    assert_eq!(
        breaking,
        [
            ("operation-removed", true),
            ("field-added", true),
            ("field-added", false),
            ("field-removed", true),
            ("enum-value-added", false),
        ]
    );
    insta::assert_snapshot!("docs_update__change_report", changes.text());
    insta::assert_snapshot!(
        "docs_update__change_report_markdown",
        changes.markdown("example (specs/example.yaml)")
    );
}
