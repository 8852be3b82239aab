//! How an error is written down for people: the one place that walks a cause chain.

use std::fmt;

/// Displays an error followed by each of its causes, `a: b: c`, skipping a cause whose text
/// the previous message already contains (SeaORM and sqlx repeat their sources in their own
/// messages, and a line that says everything twice hides what matters).
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut previous = self.0.to_string();
        f.write_str(&previous)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            let text = cause.to_string();
            if !previous.contains(&text) {
                write!(f, ": {text}")?;
            }
            previous = text;
            source = cause.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("{text}")]
    struct Layer {
        text: &'static str,
        #[source]
        source: Option<Box<Layer>>,
    }

    fn chain(texts: &[&'static str]) -> Layer {
        texts
            .iter()
            .rev()
            .fold(None, |source, text| {
                Some(Layer {
                    text,
                    source: source.map(Box::new),
                })
            })
            .unwrap()
    }

    #[test]
    fn every_cause_is_written_once_in_order() {
        let err = chain(&["cannot migrate", "query failed", "no such table: software"]);
        assert_eq!(
            ErrorChain(&err).to_string(),
            "cannot migrate: query failed: no such table: software"
        );
    }

    #[test]
    fn a_cause_that_its_parent_already_quotes_is_skipped() {
        let err = chain(&[
            "Connection Error: refused (os error 111)",
            "refused (os error 111)",
        ]);
        assert_eq!(
            ErrorChain(&err).to_string(),
            "Connection Error: refused (os error 111)"
        );
    }
}
