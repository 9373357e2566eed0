//! Translations with Fluent: Ukrainian first, English second, with Ukrainian plural categories.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use hromada_kernel::Lang;
use std::collections::{BTreeSet, HashMap};

pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
    keys: HashMap<Lang, BTreeSet<String>>,
}

/// Translation sources of one part of the program: `(language, .ftl text)`.
pub type Locales = Vec<(Lang, &'static str)>;

impl I18n {
    /// Builds the bundles; a syntax error or a key defined twice is a startup error.
    pub fn new(sources: &[(&str, Locales)]) -> anyhow::Result<I18n> {
        let mut bundles = HashMap::new();
        let mut keys: HashMap<Lang, BTreeSet<String>> = HashMap::new();
        for lang in Lang::ALL {
            let id: unic_langid::LanguageIdentifier = lang.code().parse()?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Isolation marks would show up as stray characters in HTML attributes.
            bundle.set_use_isolating(false);
            for (owner, locales) in sources {
                for (l, text) in locales.iter().filter(|(l, _)| *l == lang) {
                    let resource = FluentResource::try_new(text.to_string())
                        .map_err(|(_, errs)| anyhow::anyhow!("{owner} {}: {errs:?}", l.code()))?;
                    for entry in resource.entries() {
                        if let fluent_syntax::ast::Entry::Message(m) = entry {
                            keys.entry(lang).or_default().insert(m.id.name.to_string());
                        }
                    }
                    bundle.add_resource(resource).map_err(|errs| anyhow::anyhow!("{owner} {}: {errs:?}", l.code()))?;
                }
            }
            bundles.insert(lang, bundle);
        }
        Ok(I18n { bundles, keys })
    }

    /// The message `key` in `lang`, falling back to Ukrainian, then to the key itself.
    pub fn t(&self, lang: Lang, key: &str) -> String {
        self.t_args(lang, key, None)
    }

    pub fn t_args(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        for l in [lang, Lang::Uk] {
            let bundle = &self.bundles[&l];
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = vec![];
                let text = bundle.format_pattern(pattern, args, &mut errors);
                return text.into_owned();
            }
        }
        key.to_owned()
    }

    /// The message with string arguments given as pairs.
    pub fn t_pairs(&self, lang: Lang, key: &str, args: &[(&str, String)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.t_args(lang, key, Some(&fluent))
    }

    /// A message that agrees with a number (Ukrainian: one / few / many).
    pub fn t_count(&self, lang: Lang, key: &str, count: i64) -> String {
        let mut args = FluentArgs::new();
        args.set("count", count);
        self.t_args(lang, key, Some(&args))
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.keys.get(&lang).is_some_and(|k| k.contains(key))
    }

    /// Keys present in one language and missing in another: `(key, language missing it)`.
    pub fn missing(&self) -> Vec<(String, Lang)> {
        let empty = BTreeSet::new();
        let mut out = vec![];
        for a in Lang::ALL {
            for b in Lang::ALL {
                if a == b {
                    continue;
                }
                let ka = self.keys.get(&a).unwrap_or(&empty);
                let kb = self.keys.get(&b).unwrap_or(&empty);
                out.extend(ka.difference(kb).map(|k| (k.clone(), b)));
            }
        }
        out
    }
}

/// Turns template keyword arguments into Fluent arguments; numbers stay numbers for plurals.
pub fn args_from_json(values: &serde_json::Map<String, serde_json::Value>) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    for (k, v) in values {
        let value: FluentValue<'static> = match v {
            serde_json::Value::Number(n) => FluentValue::from(n.as_f64().unwrap_or_default()),
            serde_json::Value::String(s) => FluentValue::from(s.clone()),
            other => FluentValue::from(other.to_string()),
        };
        args.set(k.clone(), value);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ukrainian_plurals_use_one_few_many() {
        let ftl = "signatures = { $count ->\n    [one] { $count } підпис\n    [few] { $count } підписи\n   *[many] { $count } підписів\n}\n";
        let i18n =
            I18n::new(&[("t", vec![(Lang::Uk, ftl), (Lang::En, "signatures = { $count } signatures\n")])]).unwrap();
        let say = |n: f64| {
            let mut a = FluentArgs::new();
            a.set("count", n);
            i18n.t_args(Lang::Uk, "signatures", Some(&a))
        };
        assert_eq!(say(1.0), "1 підпис");
        assert_eq!(say(3.0), "3 підписи");
        assert_eq!(say(5.0), "5 підписів");
        assert_eq!(say(21.0), "21 підпис");
        assert_eq!(say(11.0), "11 підписів");
        assert_eq!(i18n.t(Lang::En, "nothing-here"), "nothing-here");
    }
}
