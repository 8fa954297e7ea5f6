export * from "./access";
export * from "./collections";
export * from "./events";
export * from "./exports";
export * from "./ids";
export * from "./jobs";
export * from "./projects";
export * from "./stages";
