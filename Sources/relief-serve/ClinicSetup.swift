import ArgumentParser
import Foundation
import ReliefClinic

/// `--create-clinic`: a clinic and its first clinician, made in the store and printed.
struct ClinicSetup {
    let address: String
    let clinicName: String
    let email: String
    let displayName: String
    let passwordFile: String

    /// The store at `address`, or exit 69 with the reason (the address's password hidden).
    static func open(_ address: String) async throws -> any ClinicStore {
        do {
            return try await ClinicStores.open(address)
        } catch {
            FileHandle.standardError.write(Data("error: \(describe(error))\n".utf8))
            throw ExitCode(69)
        }
    }

    func run() async throws {
        let password = try readPassword()
        // Checked before anything is created, so a short password leaves no clinic without a
        // clinician behind (the store checks it again).
        guard (8...72).contains(password.utf8.count) else {
            FileHandle.standardError.write(Data("error: --password-file: the password must be 8 to 72 bytes, got \(password.utf8.count)\n".utf8))
            throw ExitCode(73)
        }
        let store = try await Self.open(address)
        do {
            // One transaction: an email already taken leaves no clinic without a clinician behind.
            let (clinic, clinician) = try await store.createClinic(name: clinicName, email: email, displayName: displayName, password: password)
            print("created clinic \"\(clinic.name)\" (id \(clinic.id))")
            print("created clinician \(clinician.email) (id \(clinician.id)); sign in with POST /v1/clinic/sign-in")
            try? await store.close()
        } catch {
            try? await store.close()
            FileHandle.standardError.write(Data("error: \(Self.describe(error))\n".utf8))
            throw ExitCode(73)
        }
    }

    /// The password from the file (or standard input for `-`), without its final line break.
    func readPassword() throws -> String {
        let data: Data?
        if passwordFile == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: passwordFile)
        }
        guard let data, var text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("error: --password-file: cannot read \"\(passwordFile)\" (missing, unreadable, or not UTF-8 text)\n".utf8))
            throw ExitCode(66)
        }
        // One final line break, LF or CRLF (one Character in Swift), as an editor leaves it.
        if let last = text.last, last == "\n" || last == "\r\n" { text.removeLast() }
        return text
    }

    static func describe(_ error: any Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}
