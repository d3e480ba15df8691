import Foundation
import NIOSSL

extension ServerConfiguration {
    /// The TLS settings to listen with, read from `tlsCertificatePath` and `tlsKeyPath`; nil when
    /// neither is set (plain HTTP). Reads and checks both files, so a wrong path, a file that is
    /// not PEM, or a key that does not belong to the certificate stops the server at start, with
    /// the file named, rather than failing every handshake later.
    public func loadTLSConfiguration() throws(ConfigurationError) -> TLSConfiguration? {
        let certificatePath: String, keyPath: String
        switch (tlsCertificatePath, tlsKeyPath) {
        case (nil, nil):
            return nil
        case (_?, nil):
            throw ConfigurationError("--tls-cert is set but --tls-key is not: TLS needs the certificate and its private key (or neither, for plain HTTP)")
        case (nil, _?):
            throw ConfigurationError("--tls-key is set but --tls-cert is not: TLS needs the certificate and its private key (or neither, for plain HTTP)")
        case (let certificate?, let key?):
            (certificatePath, keyPath) = (certificate, key)
        }
        try Self.checkReadable(certificatePath, "TLS certificate", flag: "--tls-cert")
        try Self.checkReadable(keyPath, "TLS private key", flag: "--tls-key")

        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificatePath) } catch { chain = [] }
        if chain.isEmpty {
            throw ConfigurationError("the TLS certificate file '\(certificatePath)' (--tls-cert) holds no PEM certificate (a '-----BEGIN CERTIFICATE-----' block)")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ConfigurationError("the TLS private key file '\(keyPath)' (--tls-key) holds no unencrypted PEM private key ('-----BEGIN PRIVATE KEY-----' or an RSA or EC key)")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        // Building the context is what pairs the key with the certificate.
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ConfigurationError("the private key in '\(keyPath)' (--tls-key) does not belong to the certificate in '\(certificatePath)' (--tls-cert), or TLS cannot use it (\(error))")
        }
        return configuration
    }

    private static func checkReadable(_ path: String, _ what: String, flag: String) throws(ConfigurationError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ConfigurationError("the \(what) file '\(path)' (\(flag)) does not exist")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ConfigurationError("the \(what) file '\(path)' (\(flag)) cannot be read by this process")
        }
    }
}
