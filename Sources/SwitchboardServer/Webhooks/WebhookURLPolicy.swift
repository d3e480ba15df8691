import Foundation

/// Which receiver URLs a subscription may name, and which addresses a delivery may connect to.
///
/// A subscription is a URL the server will POST to, so an admin (or whoever holds the key) could
/// point it at the server's own network: its metadata service, a database port, a router's page.
/// Only http and https are accepted, without user names or passwords in the URL; and unless
/// `allowPrivateAddresses` is on, the host must be public: its literal address is checked when
/// the subscription is saved, and every address its name resolves to before each POST.
struct WebhookURLPolicy: Sendable {
    var allowPrivateAddresses: Bool

    /// The reason `text` cannot be a receiver URL, or nil when it can.
    func problem(with text: String) -> String? {
        if text.count > 2048 { return "it is \(text.count) characters; the limit is 2048" }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return "it is not a URL (e.g. https://crm.example.com/switchboard-events)"
        }
        guard scheme == "http" || scheme == "https" else { return "its scheme is '\(scheme)'; only http and https are delivered to" }
        if components.user != nil || components.password != nil {
            return "it holds a user name or password; put no credentials in the URL, verify the signature instead"
        }
        guard let host = components.host, !host.isEmpty else { return "it names no host" }
        if components.fragment != nil { return "it has a #fragment, which is never sent" }
        if !allowPrivateAddresses, let address = Self.literalAddress(host), let why = Self.nonPublic(address) {
            return "its host \(host) is \(why); start the server with --webhooks-allow-private-addresses to deliver inside your network"
        }
        return nil
    }

    /// The reason a delivery must not connect to `address` (an IP address as text), or nil.
    func refusal(of address: String) -> String? {
        allowPrivateAddresses ? nil : Self.nonPublic(address)
    }

    /// The host as an address when it is written as one (`[::1]` without its brackets).
    static func literalAddress(_ host: String) -> String? {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return AddressMatcher.bytes(of: bare) != nil ? bare : nil
    }

    /// Blocks no receiver on the public internet reaches: loopback, private (RFC 1918, unique
    /// local), link-local (cloud metadata services live there), carrier-grade NAT, multicast,
    /// reserved, and IPv4 written inside IPv6.
    private static let nonPublicBlocks: [(AddressMatcher, String)] = [
        ("0.0.0.0/8", "a 'this network' address"), ("10.0.0.0/8", "a private address"), ("100.64.0.0/10", "a carrier-grade NAT address"),
        ("127.0.0.0/8", "a loopback address"), ("169.254.0.0/16", "a link-local address (cloud metadata services live there)"),
        ("172.16.0.0/12", "a private address"), ("192.0.0.0/24", "a reserved address"), ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a benchmarking address"), ("224.0.0.0/4", "a multicast address"), ("240.0.0.0/4", "a reserved address"),
        ("::/128", "the unspecified address"), ("::1/128", "a loopback address"), ("::ffff:0:0/96", "an IPv4-mapped address"),
        ("64:ff9b::/96", "a NAT64 address"), ("fc00::/7", "a private (unique local) address"), ("fe80::/10", "a link-local address"),
        ("ff00::/8", "a multicast address"),
    ].map { (AddressMatcher($0.0)!, $0.1) }

    static func nonPublic(_ address: String) -> String? {
        nonPublicBlocks.first { $0.0.matches(address) }?.1
    }
}
