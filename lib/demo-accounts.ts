/** Demo credentials the seed creates and the sign-in page and README show. Demo data only. */
export const demoAccounts = [
  { role: "customer", name: "张小满", email: "customer@yuyue.demo", phone: "13800000001", password: "demo1234" },
  { role: "staff", name: "李医生", email: "staff@yuyue.demo", phone: "13800000002", password: "demo1234" },
  { role: "admin", name: "王店长", email: "admin@yuyue.demo", phone: "13800000003", password: "demo1234" },
] as const;
