//! Provider configuration addresses as a binary plan stores them
//! (`module.x.provider["registry.terraform.io/hashicorp/aws"].west`). Resource addresses are
//! [`crate::address::Address`].

/// The provider's source address in a provider configuration address:
/// `module.x.provider["registry.terraform.io/hashicorp/aws"].west` gives
/// `registry.terraform.io/hashicorp/aws`.
pub fn provider_source(config: &str) -> Option<&str> {
    let start = config.find("provider[\"")? + "provider[\"".len();
    let end = config[start..].find("\"]")?;
    Some(&config[start..start + end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_of_a_provider_configuration() {
        assert_eq!(
            provider_source(r#"module.x.provider["registry.terraform.io/hashicorp/aws"].west"#),
            Some("registry.terraform.io/hashicorp/aws")
        );
        assert_eq!(provider_source("aws"), None);
    }
}
