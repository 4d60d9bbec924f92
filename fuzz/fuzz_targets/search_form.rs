//! The search form, as a query string (pages, `GET /api/v1/search`) or as JSON (new walls):
//! whatever decodes becomes a spec or a message, a spec becomes a query or a message, and
//! the query's search agrees with its criteria searched one at a time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tilebag_fuzz::{by_name, check_search, small};
use tilebag_lexicon::query::SearchSpec;
use tilebag_server::app::ServiceError;
use tilebag_server::search_form::SearchForm;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, body)) = data.split_first() else {
        return;
    };
    let form: SearchForm = if kind & 1 == 0 {
        match serde_urlencoded::from_bytes(body) {
            Ok(form) => form,
            Err(_) => return,
        }
    } else {
        match serde_json::from_slice(body) {
            Ok(form) => form,
            Err(_) => return,
        }
    };
    let spec = match form.spec() {
        Ok(spec) => spec,
        Err(ServiceError::Invalid(message)) => {
            assert!(!message.is_empty());
            return;
        }
        Err(other) => panic!("a form is refused as bad input, not {other:?}"),
    };
    let criteria_given = SearchSpec {
        limit: None,
        offset: None,
        ..spec.clone()
    } != SearchSpec::default();
    assert_eq!(form.is_empty(), !criteria_given);
    let Ok(query) = spec.to_query(by_name) else {
        return;
    };
    assert_eq!(query.criteria.is_empty(), !criteria_given);
    let lexicon = form.lexicon.as_deref().and_then(by_name).unwrap_or(small());
    check_search(lexicon, &query);
});
