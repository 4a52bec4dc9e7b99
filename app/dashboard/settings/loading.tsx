export { default } from "@/components/dashboard/dashboard-loading";
