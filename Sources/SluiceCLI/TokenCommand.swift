import ArgumentParser
import SluiceCore

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke API tokens (admins only, after the first).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token for a principal and print it once (only its hash is stored).")

        @Argument(help: "The principal, as declared in sluice.yaml.")
        var principal: String

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let token = try await projectOptions.engine().createToken(for: principal)
            if output.json { return try Terminal.json(token) }
            print(token.secret)
            Terminal.warn(
                "token \(token.id) for \(token.principal)\(token.bootstrap ? " (bootstrap admin token)" : ""): "
                    + "store it now, it is not shown again; use it with SLUICE_TOKEN=…")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (ids and principals, never secrets).")

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let tokens = try await projectOptions.engine().listTokens()
            if output.json { return try Terminal.json(tokens) }
            Terminal.table(
                ["ID", "PRINCIPAL", "CREATED", "BY", "REVOKED"],
                tokens.map {
                    [$0.id, $0.principal, Terminal.time($0.createdAt), $0.createdBy, Terminal.time($0.revokedAt)]
                })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id.")

        @Argument(help: "The token id from `sluice token list`.")
        var id: String

        @OptionGroup var projectOptions: ProjectOptions

        func run() async throws {
            try await projectOptions.engine().revokeToken(id: id)
            print("revoked token \(id)")
        }
    }
}
