import ArgumentParser
import Foundation

/// `relief serve`: runs `relief-serve` (the HTTP service and page), which is built as its own
/// program so that `relief plan` neither links nor waits for the HTTP stack.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the JSON API and the page over HTTP (runs relief-serve; `relief serve --help` for its flags).",
        discussion: """
        Examples:
          relief serve                       # http://127.0.0.1:8080/
          relief serve --port 9000 --threads 2

        The service is the program relief-serve, built beside relief by `make serve` (or \
        `swift build -c release --product relief-serve`). Every flag is passed to it.
        """
    )

    @Argument(parsing: .captureForPassthrough, help: "Flags for relief-serve: --host, --port, --data, --threads, --queue, --max-seconds, --body-limit, --idle-timeout, --clinic (and --create-clinic to set a clinic up).")
    var flags: [String] = []

    func run() throws {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let server = here.appendingPathComponent("relief-serve").path
        guard FileManager.default.isExecutableFile(atPath: server) else {
            printError("error: relief-serve is not built beside \(here.path)/relief; run `make serve`, or `swift build -c release --product relief-serve` and then `relief serve` again")
            throw Exit.unavailable
        }
        let argv = [server] + flags
        var cArgs = argv.map { strdup($0) } + [nil]
        execv(server, &cArgs)
        printError("error: could not start \(server): \(String(cString: strerror(errno)))")
        throw Exit.unavailable
    }
}
