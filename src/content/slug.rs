//! Slugs and ordering keys from file and folder names: `03-ec2-pricing.md` →
//! slug `ec2-pricing`, order 3.

/// Splits a leading numeric prefix (`01-`, `2_`, `10. `) off a name.
pub(crate) fn split_numeric_prefix(name: &str) -> (Option<u64>, &str) {
    let digits = name.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return (None, name);
    }
    let rest = &name[digits..];
    let stripped = rest.trim_start_matches(['-', '_', '.', ' ']);
    if stripped.len() == rest.len() || stripped.is_empty() {
        return (None, name);
    }
    (name[..digits].parse().ok(), stripped)
}

/// Lowercases and joins runs of anything but letters and digits with `-`.
pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "untitled".into()
    } else {
        slug.to_string()
    }
}

/// The slug of a file stem or folder name: prefix dropped, slugified.
pub(crate) fn slug_of(name: &str) -> String {
    slugify(split_numeric_prefix(name).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(split_numeric_prefix("01-cloud"), (Some(1), "cloud"));
        assert_eq!(split_numeric_prefix("10. Intro"), (Some(10), "Intro"));
        assert_eq!(split_numeric_prefix("2024"), (None, "2024"));
        assert_eq!(split_numeric_prefix("3d-models"), (None, "3d-models"));
        assert_eq!(split_numeric_prefix("iam"), (None, "iam"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug_of("03-EC2 Pricing & Options"), "ec2-pricing-options");
        assert_eq!(slug_of("Über_Notes"), "über-notes");
        assert_eq!(slug_of("---"), "untitled");
    }
}
