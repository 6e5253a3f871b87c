import ArgumentParser
import SluiceCore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Rehash every stored object and check that every environment points at data that exists.")

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let result = try await projectOptions.engine().verifyStore()
        if output.json {
            try Terminal.json(result)
        } else {
            for id in result.corrupt { print("corrupt object \(id.hex): its bytes no longer match its address") }
            for item in result.missing { print("missing \(item)") }
            print(
                result.ok
                    ? "store verified: \(result.objects) objects, \(Terminal.bytes(result.bytes)), every ref resolves"
                    : "store damaged: \(result.corrupt.count) corrupt objects, \(result.missing.count) missing")
        }
        if !result.ok { throw ExitCode(ExitStatus.failed.rawValue) }
    }
}
