export * from "./users";
export * from "./businesses";
export * from "./resources";
export * from "./services";
export * from "./bookings";
export * from "./payments";
export * from "./notifications";
export * from "./audit";
