public enum ReliefVersion { public static let string = "0.1.0" }
