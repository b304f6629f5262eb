/// Reading a programme file (`relief programme --out`): its settings, and its request by the
/// one request reader; and a profile's `programme` object.
public enum ProgrammeFile {
    static func node(path: String) throws -> JSONNode {
        try JSONNode.parse(bytes: readInputFile(path), file: path)
    }

    /// The settings and request of a programme file.
    public static func load(path: String, catalogue: Catalogue) throws -> (ProgrammeSettings, PlanRequest) {
        let root = try node(path: path)
        guard case .object(let members) = root.value,
              members.contains(where: { $0.key == "schema" && $0.value.value == .string("relief-programme") }) else {
            throw DataErrors([DataIssue(file: path, line: root.line, column: root.column, "not a programme file: expected a programme's JSON (\"schema\": \"relief-programme\")")])
        }
        guard let settingsNode = members.first(where: { $0.key == "settings" })?.value,
              let requestNode = members.first(where: { $0.key == "request" })?.value else {
            throw DataErrors([DataIssue(file: path, line: root.line, column: root.column, "a programme file needs \"settings\" and \"request\"")])
        }
        guard case .object(let settingMembers) = settingsNode.value, settingMembers.contains(where: { $0.key == "start" }) else {
            throw DataErrors([DataIssue(file: path, line: settingsNode.line, column: settingsNode.column, "settings need a \"start\" date")])
        }
        let (settings, settingProblems) = ProgrammeSettings.decode(settingsNode, over: ProgrammeSettings(start: CalendarDate(ordinal: 0)))
        let (request, problems) = PlanRequest.read(requestNode, explainByDefault: false, catalogue: catalogue)
        if !(settingProblems + problems).isEmpty { throw (settingProblems + problems).inFile(path) }
        return (settings, request)
    }

    /// A profile's optional `programme` object over `base`.
    public static func profileSettings(path: String, over base: ProgrammeSettings) throws -> ProgrammeSettings {
        let root = try node(path: path)
        guard case .object(let members) = root.value, let n = members.first(where: { $0.key == "programme" })?.value else { return base }
        let (settings, problems) = ProgrammeSettings.decode(n, over: base)
        if !problems.isEmpty { throw problems.inFile(path) }
        return settings
    }
}
