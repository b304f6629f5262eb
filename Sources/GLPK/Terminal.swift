import CGLPK

/// Collects what GLPK writes to its terminal while one wrapper call runs.
final class TerminalCapture {
    var text = ""
    let echo: Bool
    init(echo: Bool) { self.echo = echo }
}

/// Runs `body` with GLPK's terminal output routed into a string instead of stdout.
///
/// GLPK's terminal hook is thread-local, like the rest of its environment, so it is set on
/// the calling thread just before the work and reset to a silent hook just after.
/// The corresponding C function is `glp_term_hook`.
func withTerminalCaptured<R>(echo: Bool = false, _ body: () throws -> R) rethrows -> (R, String) {
    let capture = TerminalCapture(echo: echo)
    let context = Unmanaged.passRetained(capture)
    glp_term_hook({ info, text in
        guard let info, let text else { return 1 }
        let capture = Unmanaged<TerminalCapture>.fromOpaque(info).takeUnretainedValue()
        capture.text += String(cString: text)
        return capture.echo ? 0 : 1
    }, context.toOpaque())
    defer {
        // Silent, not GLPK's default: nothing of GLPK's reaches stdout unless asked for.
        glp_term_hook({ _, _ in 1 }, nil)
        context.release()
    }
    let result = try body()
    return (result, capture.text)
}
